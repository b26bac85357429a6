import type { Work } from '../catalogue/catalogue.js'
import type { CslItem } from '../catalogue/schema.js'
import { invertedName } from '../formats/names.js'
import { joinedDate, pageRange } from '../formats/csl-fields.js'
import { html, type SafeHtml } from './html.js'

// COinS: an OpenURL 1.0 ContextObject (Z39.88-2004) in KEV form, in the title of an empty
// <span class="Z3988">, which Zotero and link resolvers read. Journal-like works use the journal
// metadata format, book-like ones the book format; each with the genre and title keys it defines.

interface Shape {
  readonly format: 'journal' | 'book'
  readonly genre: string
}

const BOOK_SHAPES: Readonly<Partial<Record<CslItem['type'], Shape>>> = {
  book: { format: 'book', genre: 'book' },
  chapter: { format: 'book', genre: 'bookitem' },
  'paper-conference': { format: 'book', genre: 'proceeding' },
  report: { format: 'book', genre: 'report' },
  thesis: { format: 'book', genre: 'document' },
}

function shapeOf(type: CslItem['type']): Shape {
  return BOOK_SHAPES[type] ?? { format: 'journal', genre: type.startsWith('article') || type.startsWith('review') ? 'article' : 'unknown' }
}

/** The ContextObject's keys and values, in order; keys repeat for several authors. */
function coinsFields(work: Work): Array<[string, string]> {
  const { item } = work
  const shape = shapeOf(item.type)
  const range = pageRange(item.page)
  const titles: Array<[string, string | undefined]> =
    shape.genre === 'book' || shape.genre === 'report' || shape.genre === 'document'
      ? [['rft.btitle', item.title]]
      : shape.format === 'book'
        ? [
            ['rft.atitle', item.title],
            ['rft.btitle', item['container-title']],
          ]
        : [
            ['rft.atitle', item.title],
            ['rft.jtitle', item['container-title']],
          ]
  const fields: Array<[string, string | number | undefined]> = [
    ['ctx_ver', 'Z39.88-2004'],
    ['rft_val_fmt', `info:ofi/fmt:kev:mtx:${shape.format}`],
    ['rfr_id', 'info:sid/citeserve'],
    ['rft_id', item.DOI === undefined ? undefined : `info:doi/${item.DOI}`],
    ['rft.genre', shape.genre],
    ...titles,
    ...(item.author ?? []).map((name): [string, string] => ['rft.au', invertedName(name)]),
    ['rft.date', joinedDate(item.issued, '-')],
    ['rft.volume', item.volume],
    ['rft.issue', item.issue],
    ['rft.spage', range?.first],
    ['rft.epage', range?.last],
    ['rft.pages', item.page],
    [shape.format === 'book' ? 'rft.isbn' : 'rft.issn', shape.format === 'book' ? item.ISBN : item.ISSN],
    ['rft.pub', shape.format === 'book' ? item.publisher : undefined],
    ['rft.place', shape.format === 'book' ? item['publisher-place'] : undefined],
    ['rft.language', item.language],
  ]
  return fields.filter((field): field is [string, string | number] => field[1] !== undefined).map(([key, value]) => [key, String(value)])
}

export function coinsSpan(work: Work): SafeHtml {
  return html`<span class="Z3988" title="${new URLSearchParams(coinsFields(work)).toString()}"></span>`
}
