import type { Work } from '../catalogue/catalogue.js'
import type { CslItem, CslName } from '../catalogue/schema.js'
import { invertedName } from '../formats/names.js'
import { joinedDate, pageRange } from '../formats/csl-fields.js'
import { withPlainTitles } from '../formats/rich-text.js'
import { html, type SafeHtml } from './html.js'

// Highwire Press tags, which Google Scholar documents for inclusion and Zotero's connector reads
// ("Embedded Metadata"). Zotero takes the item type from the tag that names the container or the
// publisher (citation_journal_title, citation_inbook_title, citation_conference_title,
// citation_technical_report_institution, citation_dissertation_institution), so each type writes
// the ones that say what it is. Fields the record lacks get no tag at all.

type Pairs = Array<[string, string | number | undefined]>

const JOURNAL_LIKE: ReadonlySet<CslItem['type']> = new Set([
  'article',
  'article-journal',
  'article-magazine',
  'article-newspaper',
  'review',
  'review-book',
])
const IN_BOOK: ReadonlySet<CslItem['type']> = new Set(['chapter', 'entry', 'entry-dictionary', 'entry-encyclopedia'])

/** The container's tag, by what the work is part of; a type without one writes none. */
function containerTags(item: CslItem): Pairs {
  const container = item['container-title']
  if (JOURNAL_LIKE.has(item.type)) return [['citation_journal_title', container]]
  if (IN_BOOK.has(item.type)) return [['citation_inbook_title', container]]
  // The proceedings first; the conference's tag, written last, makes Zotero's item a conference paper.
  if (item.type === 'paper-conference') {
    return [
      ['citation_inbook_title', container],
      ['citation_conference_title', item['event-title'] ?? container],
    ]
  }
  return []
}

/** A report's institution and a thesis's university have tags of their own, as Zotero has fields. */
function publisherTags(item: CslItem): Pairs {
  if (item.type === 'report') {
    return [
      ['citation_technical_report_institution', item.publisher],
      ['citation_technical_report_number', item.number],
    ]
  }
  if (item.type === 'thesis') return [['citation_dissertation_institution', item.publisher]]
  return [['citation_publisher', item.publisher]]
}

/** "Family, Given"; an organisation ends with a comma, so that Zotero keeps its name whole. */
function creatorName(name: CslName): string {
  const written = invertedName(name)
  return name.family === undefined ? `${written},` : written
}

/**
 * The tags as [name, content] pairs, in the order they are written; creators in the record's order.
 * `publicUrl` is the landing page's own address, which Zotero stores as the item's URL.
 */
function highwireTags(work: Work, publicUrl: string): Array<[string, string]> {
  const item = withPlainTitles(work.item)
  const range = pageRange(item.page)
  const pairs: Pairs = [
    ['citation_title', item.title],
    ...(item.author ?? []).map((name): [string, string] => ['citation_author', creatorName(name)]),
    ...(item.editor ?? []).map((name): [string, string] => ['citation_editor', creatorName(name)]),
    ['citation_publication_date', joinedDate(item.issued, '/')],
    ...containerTags(item),
    ['citation_series_title', item['collection-title']],
    ['citation_volume', item.volume],
    ['citation_issue', item.issue],
    ['citation_firstpage', range?.first ?? item.page],
    ['citation_lastpage', range?.last],
    ['citation_doi', item.DOI],
    ['citation_issn', item.ISSN],
    ['citation_isbn', item.ISBN],
    ...publisherTags(item),
    ['citation_abstract', item.abstract],
    ['citation_keywords', item.keyword],
    ['citation_language', item.language],
    ['citation_public_url', publicUrl],
  ]
  return pairs.filter((pair): pair is [string, string | number] => pair[1] !== undefined).map(([name, value]) => [name, String(value)])
}

export function highwireMeta(work: Work, publicUrl: string): SafeHtml {
  return html`${highwireTags(work, publicUrl).map(([name, content]) => html`<meta name="${name}" content="${content}" /> `)}`
}
