import { bareDoi } from '../../catalogue/doi.js'
import { cslFromRisRecord, type ParsedCsl, type RisRecord } from '../citation-js.js'
import type { ImportFormat, ReadOutcome, RecordReader } from './reader.js'
import { TaggedMapping } from './tagged.js'

/** The one value of a tag, or its first when it repeats. */
function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * citation-js looks for a DOI in DO's text and leaves out a final "." or ",", which a DOI may end
 * with; DO holds the DOI alone, so it is read whole.
 */
function wholeDoi(record: RisRecord, item: ParsedCsl): ParsedCsl {
  const doi = first(record.DO)
  return doi === undefined || item.DOI === undefined ? item : { ...item, DOI: bareDoi(doi) }
}

/**
 * citation-js reads the start page (SP) of a book or report as its number of pages, and SE (where it
 * writes a book's pages) as a section; with both SP and EP the record has a page range instead.
 */
function repair(record: RisRecord, parsed: ParsedCsl): ParsedCsl {
  const item = wholeDoi(record, parsed)
  const start = first(record.SP)
  const end = first(record.EP)
  if (start === undefined || end === undefined) return item
  const { 'number-of-pages': numberOfPages, ...rest } = item
  const fromStart = numberOfPages === start || numberOfPages === Number(start)
  return { ...rest, ...(fromStart ? {} : { 'number-of-pages': numberOfPages }), page: `${start}-${end}` }
}

const TAG_LINE = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/

/**
 * The tags of one RIS record. citation-js's own RIS reader cuts a value at its first "  - ", so the
 * lines are read here: the tag, then everything after "  - "; a line without a tag continues the value.
 */
function taggedRecord(text: string): RisRecord {
  const record: Record<string, string[]> = {}
  let last: string[] | undefined
  for (const line of text.split(/\r?\n/)) {
    const tagged = TAG_LINE.exec(line.trim())
    if (!tagged) {
      if (last !== undefined && line.trim() !== '') last[last.length - 1] += ` ${line.trim()}`
      continue
    }
    const [, tag = '', value = ''] = tagged
    if (tag === 'ER' || value.trim() === '') {
      last = undefined
      continue
    }
    last = record[tag] ??= []
    last.push(
      tag === 'TY'
        ? value
            .trim()
            .toUpperCase()
            .replace(/^JOURN$/, 'JOUR')
        : value.trim(),
    )
  }
  return Object.fromEntries(Object.entries(record).map(([tag, values]) => [tag, values.length === 1 ? (values[0] as string) : values]))
}

class RisReader implements RecordReader {
  private readonly mapping = new TaggedMapping('ris', 'TY', (record) => repair(record, cslFromRisRecord(record)))

  read(texts: readonly string[]): ReadOutcome[] {
    return texts.map((text) => {
      const record = taggedRecord(text)
      return this.mapping.outcome(record, first(record.ID))
    })
  }
}

export const risImport: ImportFormat = {
  name: 'ris',
  aliases: [],
  mediaTypes: ['application/x-research-info-systems'],
  syntax: 'ris',
  looksLike: (head) => /^\s*TY {2}- /m.test(head.slice(0, 4096)),
  reader: () => new RisReader(),
}
