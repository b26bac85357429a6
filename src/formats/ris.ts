import type { Work } from '../catalogue/catalogue.js'
import { bareDoi } from '../catalogue/doi.js'
import type { CslDate, CslItem } from '../catalogue/schema.js'
import { risRecords, type RisRecord } from './citation-js.js'
import { oneLine } from './line-records.js'
import { mapNames, withParticlesFolded } from './names.js'
import { pageRange } from './csl-fields.js'
import { withPlainTitles } from './rich-text.js'

// The RIS specification ends lines with CR LF, which EndNote and bibutils expect.
const EOL = '\r\n'

/** "YYYY/MM/DD/other", zero-padded as the RIS specification writes it. */
function risDate(date: CslDate | undefined): string | undefined {
  const [year, month, day] = date?.['date-parts']?.[0] ?? []
  if (year === undefined) return undefined
  const pad = (part: string | number | undefined) => (part === undefined ? '' : String(part).padStart(2, '0'))
  return `${year}/${pad(month)}/${pad(day)}/${date?.season ?? ''}`
}

/** A page range goes into SP and EP; anything else ("e1234", "12, 15") stays whole in SP. */
function pageTags(page: string | number | undefined): RisRecord {
  if (page === undefined) return {}
  const range = pageRange(page)
  return range ? { SP: range.first, EP: range.last } : { SP: String(page) }
}

// Where citation-js's type mapping is wrong: a book review is a journal article, not a book; a
// statute is RIS's STAT (LEGAL is a rule or regulation), as Zotero writes it.
const TYPE_CORRECTIONS: Readonly<Partial<Record<CslItem['type'], string>>> = { 'review-book': 'JOUR', legislation: 'STAT' }

function repair(record: RisRecord, work: Work): RisRecord {
  const { SP: _wholeRange, DA: _unpadded, ...rest } = record
  const date = risDate(work.item.issued)
  // citation-js looks for a DOI in DO's text and leaves out a final "." or ",", which a DOI may end with.
  const doi: RisRecord = rest.DO === undefined || work.item.DOI === undefined ? {} : { DO: bareDoi(work.item.DOI) }
  return {
    ...rest,
    ...doi,
    TY: TYPE_CORRECTIONS[work.item.type] ?? rest.TY ?? 'GEN',
    ID: work.id,
    ...(date === undefined ? {} : { DA: date }),
    ...pageTags(work.item.page),
  }
}

function serialize(record: RisRecord): string {
  const { TY: type, ...tags } = record
  const lines = [`TY  - ${String(type)}`]
  for (const [tag, values] of Object.entries(tags)) {
    for (const value of [values].flat()) {
      lines.push(`${tag}  - ${oneLine(value)}`)
    }
  }
  lines.push('ER  - ')
  return lines.join(EOL) + EOL
}

/**
 * RIS from citation-js's tag mapping, without its faults: no hard wrap at 70 characters, no
 * line breaks inside values, the whole id in ID, name particles kept, page ranges split into SP/EP,
 * and titles without CSL's rich-text tags.
 */
export function renderRis(works: readonly Work[]): string {
  const records = risRecords(works.map((work) => mapNames(withPlainTitles(work.item), withParticlesFolded)))
  return records.map((record, index) => serialize(repair(record, works[index] as Work))).join(EOL)
}
