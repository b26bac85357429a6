// Writes a catalogue file record by record: a million records are more JSON than one string can hold.
import { createReadStream, createWriteStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { CslItem } from '../src/catalogue/schema.js'

/** Writes the records as one JSON array, one record a line, and returns how many there were. */
export async function writeCatalogueFile(file: string, items: Iterable<CslItem>): Promise<number> {
  let count = 0
  function* lines() {
    for (const item of items) yield `${count++ === 0 ? '[' : ','}${JSON.stringify(item)}\n`
    yield count === 0 ? '[]\n' : ']\n'
  }
  await pipeline(Readable.from(lines()), createWriteStream(file))
  return count
}

/** Reads back, one record at a time, a file that `writeCatalogueFile` wrote (one record a line). */
export async function* readCatalogueFile(file: string): AsyncGenerator<unknown> {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const record = line.replace(/^[[,]/, '')
    if (record !== '' && record !== ']') yield JSON.parse(record)
  }
}
