import type { Work } from '../catalogue/catalogue.js'
import type { CslName } from '../catalogue/schema.js'
import { joinedDate } from '../formats/csl-fields.js'
import { citationBox, workPath, type CitationBoxView } from './citation-box.js'
import { coinsSpan } from './coins.js'
import { highwireMeta } from './highwire.js'
import { html, jsonInScript, type SafeHtml } from './html.js'
import { layout } from './layout.js'

/** A name as people read it: "Jan van der Berg", "Ludwig van Beethoven", "John Smith Jr.". */
export function displayName(name: CslName): string {
  if (name.family === undefined) return name.literal ?? name.given ?? ''
  return [name.given, name['dropping-particle'], name['non-dropping-particle'], name.family, name.suffix].filter(Boolean).join(' ')
}

/** A language tag fit for a lang attribute, or nothing. */
function languageTag(language: string | undefined): string | undefined {
  return language !== undefined && /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$/.test(language) ? language : undefined
}

function facts(work: Work): SafeHtml {
  const { item } = work
  const rows: Array<[string, string | number | SafeHtml | undefined]> = [
    ['Type', item.genre ?? item.type],
    ['Published', joinedDate(item.issued, '-')],
    [item.type === 'chapter' ? 'In' : 'Journal', item['container-title']],
    ['Volume', item.volume],
    ['Issue', item.issue],
    ['Pages', item.page],
    ['DOI', item.DOI === undefined ? undefined : html`<a href="https://doi.org/${item.DOI}">${item.DOI}</a>`],
    ['Publisher', item.publisher],
    ['Language', item.language],
  ]
  return html`<dl class="facts">
    ${rows
      .filter((row): row is [string, string | number | SafeHtml] => row[1] !== undefined)
      .map(
        ([term, value]) =>
          html`<div>
            <dt>${term}</dt>
            <dd>${value}</dd>
          </div>`,
      )}
  </dl>`
}

export interface WorkPageView extends Omit<CitationBoxView, 'headingLevel'> {
  /** The schema.org JSON-LD of the work, as the schema-org format renders it. */
  readonly jsonLd: string
}

/** The landing page of one work: its facts and abstract, the citation box, and metadata for machines. */
export function workPage(view: WorkPageView): string {
  const { work } = view
  const { item } = work
  const lang = languageTag(item.language)
  const title = item.title ?? work.id
  return layout({
    lang: 'en',
    title: `${title} · citeserve`,
    head: html`${highwireMeta(work)}<link rel="alternate" type="application/json" href="${workPath(work)}" />
      <script type="application/ld+json">
        ${jsonInScript(view.jsonLd)}
      </script> `,
    main: html`<article class="work">
<h1${lang ? html` lang="${lang}"` : ''}>${title}</h1>
${item.author && item.author.length > 0 ? html`<p class="authors">${item.author.map(displayName).join('; ')}</p>` : ''}
${facts(work)}
${
  item.abstract === undefined
    ? ''
    : html`<section aria-labelledby="abstract-heading">
        <h2 id="abstract-heading">Abstract</h2>
        <p class="abstract" ${lang ? html` lang="${lang}"` : ''}>${item.abstract}</p>
      </section>`
}
${citationBox({ ...view, headingLevel: 2 })}
${coinsSpan(work)}
</article>`,
  })
}
