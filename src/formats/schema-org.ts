import type { Work } from '../catalogue/catalogue.js'
import type { CslItem, CslName } from '../catalogue/schema.js'
import { isoDate, pageRange } from './csl-fields.js'
import { withPlainTitles } from './rich-text.js'

// schema.org has no citation-js output, so this maps CSL-JSON itself, to the types and properties
// Google Scholar and Zotero's connector read.

type Node = Record<string, unknown>

export const SCHEMA_ORG_TYPES: Readonly<Partial<Record<CslItem['type'], string>>> = {
  'article-journal': 'ScholarlyArticle',
  'paper-conference': 'ScholarlyArticle',
  article: 'ScholarlyArticle',
  review: 'Review',
  'review-book': 'Review',
  'article-magazine': 'Article',
  'article-newspaper': 'NewsArticle',
  book: 'Book',
  chapter: 'Chapter',
  thesis: 'Thesis',
  report: 'Report',
  dataset: 'Dataset',
  software: 'SoftwareSourceCode',
  webpage: 'WebPage',
  'post-weblog': 'BlogPosting',
  map: 'Map',
  legislation: 'Legislation',
  patent: 'CreativeWork',
}

/** A person or organisation as schema.org names them; RDF output states the same. */
export function schemaOrgPerson(name: CslName): Node {
  if (name.literal !== undefined || name.family === undefined) return { '@type': 'Organization', name: name.literal ?? name.given ?? '' }
  const family = [name['non-dropping-particle'], name.family].filter(Boolean).join(' ')
  const given = [name.given, name['dropping-particle']].filter(Boolean).join(' ')
  return {
    '@type': 'Person',
    ...(given ? { givenName: given } : {}),
    familyName: family,
    name: [given, family, name.suffix].filter(Boolean).join(' '),
  }
}

function pages(page: string | number | undefined): Node {
  if (page === undefined) return {}
  const range = pageRange(page)
  return { pagination: String(page), ...(range ? { pageStart: range.first, pageEnd: range.last } : {}) }
}

/** Journal, volume and issue as schema.org nests them: issue of volume of periodical. */
function container(item: CslItem): Node {
  if (item['container-title'] === undefined) return {}
  let parent: Node = { '@type': item.type === 'chapter' ? 'Book' : 'Periodical', name: item['container-title'] }
  if (item.ISSN !== undefined) parent.issn = item.ISSN
  if (item.volume !== undefined) parent = { '@type': 'PublicationVolume', volumeNumber: String(item.volume), isPartOf: parent }
  if (item.issue !== undefined) parent = { '@type': 'PublicationIssue', issueNumber: String(item.issue), isPartOf: parent }
  return { isPartOf: parent }
}

function defined(node: Node): Node {
  return Object.fromEntries(Object.entries(node).filter(([, value]) => value !== undefined))
}

function describe(work: Work): Node {
  // schema.org's names are plain text: CSL's rich-text tags would be read as part of the title.
  const item = withPlainTitles(work.item)
  const doiUrl = item.DOI === undefined ? undefined : `https://doi.org/${item.DOI}`
  return defined({
    '@type': SCHEMA_ORG_TYPES[item.type] ?? 'CreativeWork',
    '@id': doiUrl,
    identifier: [work.id, ...(item.DOI === undefined ? [] : [{ '@type': 'PropertyValue', propertyID: 'DOI', value: item.DOI }])],
    name: item.title,
    headline: item.title,
    author: item.author?.map(schemaOrgPerson),
    editor: item.editor?.map(schemaOrgPerson),
    datePublished: isoDate(item.issued),
    abstract: item.abstract,
    inLanguage: item.language,
    genre: item.genre,
    keywords: item.keyword,
    publisher: item.publisher === undefined ? undefined : { '@type': 'Organization', name: item.publisher },
    url: item.URL ?? doiUrl,
    sameAs: doiUrl,
    ...container(item),
    ...pages(item.page),
  })
}

/** schema.org JSON-LD: one node for one work, a `@graph` for several. */
export function renderSchemaOrg(works: readonly Work[]): string {
  const nodes = works.map(describe)
  const document =
    nodes.length === 1 ? { '@context': 'https://schema.org', ...nodes[0] } : { '@context': 'https://schema.org', '@graph': nodes }
  return `${JSON.stringify(document, null, 2)}\n`
}
