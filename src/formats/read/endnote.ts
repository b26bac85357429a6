import { cslFromEnwRecord } from '../citation-js.js'
import type { ImportFormat, ReadOutcome, RecordReader } from './reader.js'
import { TaggedMapping, type TaggedRecord } from './tagged.js'

/**
 * The tags of one refer record: `%X value` lines, a line without a tag continuing the value before it.
 * The type's words are capitalised, as EndNote writes them ("Journal Article").
 */
function taggedRecord(text: string): TaggedRecord {
  const fields: Record<string, string[]> = {}
  let last: string[] | undefined
  for (const line of text.split(/\r?\n/)) {
    const tagged = /^%(\S) ?(.*)$/.exec(line)
    if (tagged) {
      const [, tag = '', value = ''] = tagged
      last = fields[tag] ??= []
      last.push(value.trim())
    } else if (last !== undefined && line.trim() !== '') {
      last[last.length - 1] += ` ${line.trim()}`
    }
  }
  const record: TaggedRecord = {}
  for (const [tag, values] of Object.entries(fields)) record[tag] = values.length === 1 ? (values[0] as string) : values
  const type = record['0']
  if (typeof type === 'string') record['0'] = type.replace(/(^| )(.)/g, (_, space: string, letter: string) => space + letter.toUpperCase())
  return record
}

class EndnoteReader implements RecordReader {
  private readonly mapping = new TaggedMapping('endnote', '0', (record) => cslFromEnwRecord({ fields: record }))

  read(texts: readonly string[]): ReadOutcome[] {
    return texts.map((text) => {
      const record = taggedRecord(text)
      const label = record.F
      return this.mapping.outcome(record, Array.isArray(label) ? label[0] : label)
    })
  }
}

export const endnoteImport: ImportFormat = {
  name: 'endnote',
  aliases: ['enw', 'refer'],
  mediaTypes: ['application/x-endnote-refer'],
  syntax: 'endnote',
  looksLike: (head) => /^\s*%0 /.test(head),
  reader: () => new EndnoteReader(),
}
