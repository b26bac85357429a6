import type { CslItem } from '../../src/catalogue/schema.js'
import { importFormat } from '../../src/formats/read/formats.js'
import { readRecords, type ReadResult } from '../../src/import/read-records.js'

/** Text as a stream of chunks of `size` characters, as a file stream hands it over. */
export async function* chunked(text: string, size = 7): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size)
}

/** Every record read from the text, in the named format or the detected one. */
export async function readAll(text: string, from?: string, size?: number): Promise<ReadResult[]> {
  const results: ReadResult[] = []
  for await (const result of readRecords(chunked(text, size), from === undefined ? undefined : importFormat(from))) results.push(result)
  return results
}

/** The items read, failing with the reason when a record was rejected. */
export async function readItems(text: string, from?: string): Promise<CslItem[]> {
  return (await readAll(text, from)).map((result) => {
    if ('rejected' in result) throw new Error(`record ${result.index + 1} rejected: ${result.rejected}`)
    return result.item
  })
}
