import type { Work } from '../catalogue/catalogue.js'
import { landingPagePath } from './citation-box.js'
import { coinsSpan } from './coins.js'
import { html, type SafeHtml } from './html.js'
import { layout } from './layout.js'
import { creatorsLine, richTitle } from './work-page.js'

/** The choices of the page's filter and sort controls, and which are chosen. */
interface CatalogueControls {
  /** The CSL types in the catalogue. */
  readonly types: readonly string[]
  /** The years of the works found, ascending. */
  readonly years: readonly string[]
  readonly type?: string | undefined
  readonly fromYear?: string | undefined
  readonly untilYear?: string | undefined
  readonly sort?: string | undefined
  readonly order?: string | undefined
}

export interface CataloguePageView {
  readonly query: string | undefined
  readonly controls: CatalogueControls
  readonly total: number
  /** Position of the page's first work in the results. */
  readonly start: number
  readonly works: readonly Work[]
  /** Query strings of the neighbouring pages, where there are any. */
  readonly previous: string | undefined
  readonly next: string | undefined
}

/** Names (three at most), year and container. */
function summary(work: Work): SafeHtml {
  const container = work.item['container-title']
  const parts = [
    creatorsLine(work, 3),
    work.item.issued?.['date-parts']?.[0]?.[0],
    container === undefined ? undefined : richTitle(container),
  ]
  const shown = parts.filter((part) => part !== undefined)
  return html`${shown.map((part, index) => html`${index > 0 ? ' · ' : ''}${part}`)}`
}

const SORTS: readonly [string, string][] = [
  ['', 'Relevance (with words), else catalogue order'],
  ['published', 'Date published'],
  ['updated', 'Date changed'],
  ['title', 'Title'],
]
const ORDERS: readonly [string, string][] = [
  ['desc', 'Descending'],
  ['asc', 'Ascending'],
]

/** A select's options: each [value, label], the chosen one selected. */
const options = (choices: readonly (readonly [string, string])[], chosen: string | undefined) =>
  choices.map(([value, label]) => html`<option value="${value}" ${value === (chosen ?? '') ? html` selected` : ''}>${label}</option>`)

/**
 * The type, year and order controls. They send GET /works's own parameters: each filter control a
 * `filter` of its own (the route joins them), sort and order as they are.
 */
function controls(view: CatalogueControls): SafeHtml {
  const years = (prefix: string) => view.years.map((year) => [`${prefix}:${year}`, year] as const)
  const chosen = (prefix: string, value: string | undefined) => (value === undefined ? undefined : `${prefix}:${value}`)
  return html`<div class="controls">
    <label for="type">Type</label>
    <select id="type" name="filter">
      ${options([['', 'Any type'], ...view.types.map((type) => [`type:${type}`, type] as const)], chosen('type', view.type))}
    </select>
    <label for="from-year">From</label>
    <select id="from-year" name="filter">
      ${options([['', 'Any year'], ...years('from-pub-date')], chosen('from-pub-date', view.fromYear))}
    </select>
    <label for="until-year">Until</label>
    <select id="until-year" name="filter">
      ${options([['', 'Any year'], ...years('until-pub-date')], chosen('until-pub-date', view.untilYear))}
    </select>
    <label for="sort">Sort by</label>
    <select id="sort" name="sort">
      ${options(SORTS, view.sort)}
    </select>
    <label for="order">Order</label>
    <select id="order" name="order">
      ${options(ORDERS, view.order)}
    </select>
  </div>`
}

/** GET /: the catalogue, searchable, filtered, sorted and paged, each work linking to its landing page. */
export function cataloguePage(view: CataloguePageView): string {
  const { query, total, start, works } = view
  const shown = works.length === 0 ? 'No works' : `Works ${start + 1} to ${start + works.length} of ${total}`
  return layout({
    lang: 'en',
    title: query ? `“${query}” in the catalogue · citeserve` : 'The catalogue · citeserve',
    main: html`<h1>The catalogue</h1>
      <form class="search" method="get" action="/" role="search">
        <label for="query">Search titles, abstracts and names</label>
        <input id="query" name="query" type="search" value="${query ?? ''}" maxlength="1000" />
        ${controls(view.controls)}
        <button type="submit">Search</button>
      </form>
      <p class="result-count" id="result-count">${shown}${query ? html` matching “${query}”` : ''}.</p>
      <ol class="works" start="${start + 1}" aria-labelledby="result-count">
        ${works.map(
          (work) =>
            html`<li>
              <a href="${landingPagePath(work)}">${richTitle(work.item.title ?? work.id)}</a><br /><span class="summary"
                >${summary(work)}</span
              >${coinsSpan(work)}
            </li> `,
        )}
      </ol>
      <nav class="paging" aria-label="Result pages">
        ${view.previous === undefined ? '' : html`<a rel="prev" href="/?${view.previous}">Previous page</a>`}
        ${view.next === undefined ? '' : html`<a rel="next" href="/?${view.next}">Next page</a>`}
      </nav>`,
  })
}
