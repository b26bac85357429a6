import { cslFromRisRecord, risTextRecords, type ParsedCsl, type RisRecord } from '../citation-js.js'
import type { ImportFormat, ReadOutcome, RecordReader } from './reader.js'
import { TaggedMapping } from './tagged.js'

/** The one value of a tag, or its first when it repeats. */
function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * citation-js reads the start page (SP) of a book or report as its number of pages, and SE (where it
 * writes a book's pages) as a section; with both SP and EP the record has a page range instead.
 */
function repair(record: RisRecord, item: ParsedCsl): ParsedCsl {
  const start = first(record.SP)
  const end = first(record.EP)
  if (start === undefined || end === undefined) return item
  const { 'number-of-pages': numberOfPages, ...rest } = item
  const fromStart = numberOfPages === start || numberOfPages === Number(start)
  return { ...rest, ...(fromStart ? {} : { 'number-of-pages': numberOfPages }), page: `${start}-${end}` }
}

class RisReader implements RecordReader {
  private readonly mapping = new TaggedMapping('ris', 'TY', (record) => repair(record, cslFromRisRecord(record)))

  read(texts: readonly string[]): ReadOutcome[] {
    let records: RisRecord[]
    try {
      records = risTextRecords(texts.join('\r\n'))
    } catch (error) {
      return [{ error: `not RIS: ${(error as Error).message}` }]
    }
    return records.map((record) => this.mapping.outcome(record, first(record.ID)))
  }
}

export const risImport: ImportFormat = {
  name: 'ris',
  aliases: [],
  syntax: 'ris',
  looksLike: (head) => /^\s*TY {2}- /m.test(head.slice(0, 4096)),
  reader: () => new RisReader(),
}
