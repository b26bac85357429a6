import type { Work } from '../catalogue/catalogue.js'
import type { CslItem, CslName } from '../catalogue/schema.js'
import { joinedDate } from '../formats/csl-fields.js'
import { plainText, richTextHtml } from '../formats/rich-text.js'
import { citationBox, workPath, type CitationBoxView } from './citation-box.js'
import { highwireMeta } from './highwire.js'
import { html, jsonInScript, trusted, type SafeHtml } from './html.js'
import { languageLabel, typeLabel } from './labels.js'
import { layout } from './layout.js'

/** A name as people read it: "Jan van der Berg", "Ludwig van Beethoven", "John Smith Jr.". */
function displayName(name: CslName): string {
  if (name.family === undefined) return name.literal ?? name.given ?? ''
  return [name.given, name['dropping-particle'], name['non-dropping-particle'], name.family, name.suffix].filter(Boolean).join(' ')
}

/** A language tag fit for a lang attribute, or nothing. */
function languageTag(language: string | undefined): string | undefined {
  return language !== undefined && /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$/.test(language) ? language : undefined
}

/** A record's title text as HTML: its CSL rich-text tags as formatting, everything else escaped. */
export function richTitle(text: string): SafeHtml {
  return trusted(richTextHtml(text))
}

/**
 * Who made the work, as people read it: the authors, or else the editors, marked as such; beyond
 * `max` names, "et al.".
 */
export function creatorsLine(work: Work, max = Infinity): string | undefined {
  const { author = [], editor = [] } = work.item
  const [names, role] = author.length > 0 ? [author, ''] : [editor, editor.length === 1 ? ' (editor)' : ' (editors)']
  if (names.length === 0) return undefined
  return `${names.slice(0, max).map(displayName).join('; ')}${names.length > max ? ' et al.' : ''}${role}`
}

const CONTAINER_LABELS: Readonly<Partial<Record<CslItem['type'], string>>> = {
  chapter: 'In',
  'entry-dictionary': 'In',
  'entry-encyclopedia': 'In',
  'paper-conference': 'Proceedings',
  'article-journal': 'Journal',
  'article-magazine': 'Magazine',
  'article-newspaper': 'Newspaper',
  'post-weblog': 'Blog',
  webpage: 'Website',
}

function facts(work: Work): SafeHtml {
  const { item } = work
  const container = item['container-title']
  const type = typeLabel(item.type)
  const hasAuthors = (item.author?.length ?? 0) > 0
  const rows: Array<[string, string | number | SafeHtml | undefined]> = [
    ['Type', item.genre && item.genre !== type ? `${type} (${item.genre})` : type],
    ['Published', joinedDate(item.issued, '-')],
    ['Editors', hasAuthors && item.editor?.length ? item.editor.map(displayName).join('; ') : undefined],
    [CONTAINER_LABELS[item.type] ?? 'Part of', container === undefined ? undefined : richTitle(container)],
    ['Volume', item.volume],
    ['Issue', item.issue],
    ['Pages', item.page],
    ['DOI', item.DOI === undefined ? undefined : html`<a href="https://doi.org/${item.DOI}">${item.DOI}</a>`],
    ['Publisher', item.publisher],
    ['Language', item.language === undefined ? undefined : languageLabel(item.language)],
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
  /** The page's own absolute URL: its canonical link, and the URL reference managers store. */
  readonly pageUrl: string
}

/** The landing page of one work: its facts and abstract, the citation box, and metadata for machines. */
export function workPage(view: WorkPageView): string {
  const { work } = view
  const { item } = work
  const lang = languageTag(item.language)
  const title = item.title ?? work.id
  const creators = creatorsLine(work)
  return layout({
    lang: 'en',
    title: `${plainText(title)} · citeserve`,
    head: html`${highwireMeta(work, view.pageUrl)}<link rel="canonical" href="${view.pageUrl}" />
      <link rel="alternate" type="application/json" href="${workPath(work)}" />
      <script type="application/ld+json">
        ${jsonInScript(view.jsonLd)}
      </script> `,
    main: html`<article class="work">
<h1${lang ? html` lang="${lang}"` : ''}>${richTitle(title)}</h1>
${creators === undefined ? '' : html`<p class="authors">${creators}</p>`}
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
</article>`,
  })
}
