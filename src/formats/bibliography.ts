import type { Work } from '../catalogue/catalogue.js'
import { bibliography } from './citation-js.js'
import type { CslStyle } from './csl-styles.js'

export interface BibliographyOptions {
  readonly style: CslStyle
  readonly locale: string
  readonly output: 'text' | 'html'
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string)
}

/**
 * A formatted bibliography by citeproc-js through citation-js. citation-js pastes item ids into
 * `data-csl-entry-id` unescaped, so citeproc sees stand-in ids and the real ones go in escaped.
 */
export function renderBibliography(works: readonly Work[], { style, locale, output }: BibliographyOptions): string {
  const standIn = (index: number) => `citeserve-item-${index}`
  const items = works.map((work, index) => ({ ...work.item, id: standIn(index) }))
  const rendered = bibliography(items, { template: style.template, lang: locale, format: output }).trim()
  if (output === 'text') return `${rendered}\n`
  const html = rendered.replace(/data-csl-entry-id="citeserve-item-(\d+)"/g, (_, index: string) => {
    const work = works[Number(index)] as Work
    return `data-csl-entry-id="${escapeHtml(work.id)}"`
  })
  return `${html}\n`
}
