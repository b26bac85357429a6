import type { Work } from '../catalogue/catalogue.js'
import { landingPagePath } from './citation-box.js'
import { coinsSpan } from './coins.js'
import { html, type SafeHtml } from './html.js'
import { layout } from './layout.js'
import { creatorsLine, richTitle } from './work-page.js'

export interface CataloguePageView {
  readonly query: string | undefined
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

/** GET /: the catalogue, searchable and paged, each work linking to its landing page. */
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
