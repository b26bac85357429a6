import type { ParsedCsl } from '../citation-js.js'
import { IgnoredFields } from './not-carried.js'
import { keepingUncarried, type NotCarried, type ReadOutcome } from './reader.js'

/** A tagged record (RIS, EndNote): tag to one value or several. */
export type TaggedRecord = Record<string, string | string[]>

function without(record: TaggedRecord, tag: string): TaggedRecord {
  const { [tag]: _left, ...rest } = record
  return rest
}

/**
 * Maps tagged records to CSL one by one, reporting the tags the mapping ignores and keeping their
 * values under `custom[format]`. `typeTag` is the tag that names the type, which is always carried.
 */
export class TaggedMapping {
  private readonly ignored: IgnoredFields<TaggedRecord>

  constructor(
    private readonly format: string,
    private readonly typeTag: string,
    private readonly map: (record: TaggedRecord) => ParsedCsl,
  ) {
    this.ignored = new IgnoredFields<TaggedRecord>(
      map,
      (record) => Object.keys(record).filter((tag) => tag !== typeTag),
      without,
      (record) => `${String(record[typeTag])}|${Object.keys(record).sort().join(',')}`,
      (record, tag) => record[tag],
    )
  }

  outcome(record: TaggedRecord, key: string | undefined): ReadOutcome {
    let item: ParsedCsl
    try {
      item = this.map(record)
    } catch (error) {
      return { error: `${key === undefined ? '' : `record ${key}: `}${(error as Error).message.split('\n')[0] ?? ''}` }
    }
    const reason = `no CSL variable for this tag: kept under custom.${this.format}`
    const notCarried: NotCarried[] = this.ignored.of(record, item).map((field) => ({ field, reason }))
    const kept = Object.fromEntries(notCarried.map(({ field }) => [field, record[field]]))
    return { item: keepingUncarried(item, this.format, kept), key, notCarried }
  }
}
