import type { Work } from '../catalogue/catalogue.js'
import { html, trusted, type SafeHtml } from './html.js'
import type { InvalidParameter } from '../http/problem.js'
import type { CitationState } from '../citations/cite-work.js'

/** The downloads offered, as links to the API's citation files. */
const DOWNLOADS = [
  { format: 'bibtex', label: 'BibTeX' },
  { format: 'ris', label: 'RIS' },
  { format: 'endnote', label: 'EndNote' },
  { format: 'csl-json', label: 'CSL-JSON' },
] as const

export interface CitationBoxView {
  readonly work: Work
  /** Where the form sends style and locale: the page itself, or the widget. */
  readonly action: string
  /** The style and locale as asked for, shown in the form. */
  readonly style: string
  readonly locale: string
  readonly locales: readonly string[]
  /** Offered before any search: the styles people ask for most. */
  readonly commonStyles: readonly string[]
  readonly citation: CitationState
  /** The widget is a page of its own, whose top heading is the box's. */
  readonly headingLevel: 1 | 2
}

export function workPath(work: Work): string {
  return `/works/${encodeURIComponent(work.id)}`
}

function withOptions(action: string, style: string, locale: string): string {
  return `${action}?${new URLSearchParams({ style, locale }).toString()}`
}

function suggestionLink(view: CitationBoxView, option: string, suggestion: string): SafeHtml {
  const href = option === 'style' ? withOptions(view.action, suggestion, view.locale) : withOptions(view.action, view.style, suggestion)
  return html`<a href="${href}">${suggestion}</a>`
}

function invalidOption(view: CitationBoxView, error: InvalidParameter): SafeHtml {
  const value = error.name === 'style' ? view.style : view.locale
  const links = (error.allowed ?? []).map(
    (suggestion, index) => html`${index > 0 ? ', ' : ''}${suggestionLink(view, error.name, suggestion)}`,
  )
  return html`<p>The ${error.name} “${value}” is not available.${links.length > 0 ? html` Did you mean ${links}?` : ''}</p>`
}

function invalid(view: CitationBoxView, errors: readonly InvalidParameter[]): SafeHtml {
  return html`<div class="cite-error" role="alert">${errors.map((error) => invalidOption(view, error))}</div>`
}

/**
 * The citation box of the landing page and the widget: the citation (server-rendered), a form that
 * changes style and locale without JavaScript, and download links. citation-box.js enhances it:
 * style search, in-place updates, a copy button.
 */
export function citationBox(view: CitationBoxView): SafeHtml {
  const { work, citation } = view
  const heading = html`Cite this work`
  return html`<section class="citation-box" aria-labelledby="cite-heading" data-citation-url="${workPath(work)}/citation">
    ${view.headingLevel === 1 ? html`<h1 id="cite-heading">${heading}</h1>` : html`<h2 id="cite-heading">${heading}</h2>`}
    <form class="cite-form" method="get" action="${view.action}">
      <div class="field">
        <label for="cite-style">Citation style</label>
        <input
          id="cite-style"
          name="style"
          type="text"
          value="${view.style}"
          list="cite-style-options"
          autocomplete="off"
          spellcheck="false"
          aria-describedby="cite-style-hint"
          required
          maxlength="200"
        />
        <datalist id="cite-style-options">${view.commonStyles.map((id) => html`<option value="${id}"></option>`)}</datalist>
        <p class="hint" id="cite-style-hint">A style id, such as apa, vancouver or ieee. Type words of its name to search all styles.</p>
      </div>
      <div class="field">
        <label for="cite-locale">Language</label>
        <select id="cite-locale" name="locale">
          <option value="" ${view.locale === '' ? ' selected' : ''}>The style’s own</option>
          ${view.locales.map((id) => html`<option value="${id}" ${id === view.locale ? html` selected` : ''}>${id}</option>`)}
        </select>
      </div>
      <button type="submit">Show citation</button>
    </form>
    ${
      citation.kind === 'rendered'
        ? html`<div class="citation" id="cite-output" aria-live="polite" data-style="${citation.style}" data-locale="${citation.locale}">
            ${trusted(citation.html)}
          </div>`
        : html`<div class="citation" id="cite-output" aria-live="polite"></div>
            ${invalid(view, citation.errors)}`
    }
    <p class="copy-row"><button type="button" class="copy" hidden>Copy citation</button> <span class="copy-status" role="status"></span></p>
    <p class="downloads-label" id="downloads-label">Download as</p>
    <ul class="downloads" aria-labelledby="downloads-label">
      ${DOWNLOADS.map(({ format, label }) => html`<li><a href="${workPath(work)}/citation?format=${format}" download>${label}</a></li>`)}
    </ul>
  </section>`
}
