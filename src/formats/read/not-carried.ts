import type { ParsedCsl } from '../citation-js.js'

/**
 * Which fields of a source record a mapping ignores: a field is carried when leaving it out changes
 * the CSL the mapping makes. Records with the same fields are mapped alike, so the answer is kept per
 * signature (the record's type and field names), for the length of one import.
 */
export class IgnoredFields<R> {
  private readonly bySignature = new Map<string, readonly string[]>()

  constructor(
    private readonly map: (record: R) => ParsedCsl,
    private readonly fieldsOf: (record: R) => readonly string[],
    private readonly without: (record: R, field: string) => R,
    private readonly signature: (record: R) => string,
    private readonly valueOf: (record: R, field: string) => unknown,
  ) {}

  /**
   * The fields of `record` that its CSL `item` does not carry. A field the mapping passes over whose
   * text the item has anyway (a year that a full date repeats) is not reported.
   */
  of(record: R, item: ParsedCsl): readonly string[] {
    const ignored = this.ignoredBySignature(record)
    if (ignored.length === 0) return ignored
    const text = JSON.stringify(item)
    return ignored.filter((field) => {
      const values = [this.valueOf(record, field)].flat()
      return !values.every(
        (value) => typeof value === 'string' && value.trim() !== '' && text.includes(JSON.stringify(value.trim()).slice(1, -1)),
      )
    })
  }

  private ignoredBySignature(record: R): readonly string[] {
    const signature = this.signature(record)
    const known = this.bySignature.get(signature)
    if (known !== undefined) return known
    const whole = JSON.stringify(this.map(record))
    const ignored = this.fieldsOf(record).filter((field) => {
      try {
        return JSON.stringify(this.map(this.without(record, field))) === whole
      } catch {
        return false
      }
    })
    this.bySignature.set(signature, ignored)
    return ignored
  }
}
