import type { Work } from '../catalogue/catalogue.js'
import { invertedName } from '../formats/names.js'
import { joinedDate, pageRange } from '../formats/csl-fields.js'
import { html, type SafeHtml } from './html.js'

// Highwire Press tags, which Google Scholar documents for inclusion and Zotero's connector reads
// ("Embedded Metadata"). Fields the record lacks get no tag at all.

/** Where the container title goes, by what the work is part of. */
function containerTag(type: string): string {
  if (type === 'chapter') return 'citation_inbook_title'
  if (type === 'paper-conference') return 'citation_conference_title'
  return 'citation_journal_title'
}

/** The tags as [name, content] pairs, in the order they are written; authors in the record's order. */
function highwireTags(work: Work): Array<[string, string]> {
  const { item } = work
  const range = pageRange(item.page)
  const pairs: Array<[string, string | number | undefined]> = [
    ['citation_title', item.title],
    ...(item.author ?? []).map((name): [string, string] => ['citation_author', invertedName(name)]),
    ['citation_publication_date', joinedDate(item.issued, '/')],
    [containerTag(item.type), item['container-title']],
    ['citation_volume', item.volume],
    ['citation_issue', item.issue],
    ['citation_firstpage', range?.first ?? item.page],
    ['citation_lastpage', range?.last],
    ['citation_doi', item.DOI],
    ['citation_issn', item.ISSN],
    ['citation_isbn', item.ISBN],
    ['citation_publisher', item.publisher],
    ['citation_abstract', item.abstract],
    ['citation_language', item.language],
  ]
  return pairs.filter((pair): pair is [string, string | number] => pair[1] !== undefined).map(([name, value]) => [name, String(value)])
}

export function highwireMeta(work: Work): SafeHtml {
  return html`${highwireTags(work).map(([name, content]) => html`<meta name="${name}" content="${content}" /> `)}`
}
