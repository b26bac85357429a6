import escapeHtml from 'escape-html'
import type { Work } from '../catalogue/catalogue.js'
import type { CslRequest, EnginePool } from './csl/engines.js'

// CSL-JSON's rich-text tags are markup, never text. citeproc leaves them in its plain-text output
// when it cannot parse them (an unbalanced quote inside <i>…</i>), so text output drops them.
const CSL_MARKUP = /<\/?(?:i|b|sub|sup)>|<span (?:class="nocase"|style="font-variant:\s*small-caps;?")>|<\/span>/g
const plainText = (text: string) => text.replace(CSL_MARKUP, '')

/** What a bibliography needs of a work: its id and record (all a render worker is sent). */
export type CslEntry = Pick<Work, 'id' | 'item'>

// citeproc sees stand-in ids, so that no record id ever reaches markup unescaped: the real ones
// are put back, escaped, by position.
const standIn = (index: number) => `item-${index}`
const standInItems = (works: readonly CslEntry[]) => works.map((work, index) => ({ ...work.item, id: standIn(index) }))

/**
 * A bibliography in the style's order, by citeproc-js: plain text, or its `csl-bib-body` HTML.
 * Runs in a render worker (render-worker.ts), which owns the engines.
 */
export function renderBibliography(works: readonly CslEntry[], request: CslRequest, engines: EnginePool): string {
  return engines.withEngine(request, standInItems(works), (engine) => {
    const sortedIds = engine.updateItems(works.map((_, index) => standIn(index)))
    const result = engine.makeBibliography()
    if (!result) return '' // a style without a bibliography (some note styles)
    const [{ bibstart, bibend }, entries] = result
    if (request.output === 'text') return entries.map((entry) => `${plainText(entry).trim()}\n`).join('')
    const attributed = entries.map((entry, position) => {
      const work = works[Number(sortedIds[position]?.slice('item-'.length))] as CslEntry
      // A function, not a string, as replacement: an id such as "$&" must not act as a pattern.
      return entry.replace('<div class="csl-entry">', () => `<div class="csl-entry" data-csl-entry-id="${escapeHtml(work.id)}">`)
    })
    return `${bibstart}${attributed.join('')}${bibend}`
  })
}

/** One in-text citation of all the works together, such as "(Author, 2005; Other, 2010)"; in a render worker too. */
export function renderCitation(works: readonly CslEntry[], request: CslRequest, engines: EnginePool): string {
  return engines.withEngine(request, standInItems(works), (engine) => {
    const citation = { citationItems: works.map((_, index) => ({ id: standIn(index) })), properties: { noteIndex: 0 } }
    const [[, , text] = ['', 0, '']] = engine.rebuildProcessorState([citation], request.output, [])
    return `${request.output === 'text' ? plainText(text) : text}\n`
  })
}
