import { detectImportFormat } from '../formats/read/formats.js'
import type { ImportFormat, ReadOutcome, RecordReader } from '../formats/read/reader.js'
import { ReadResults, type ReadResult } from './read-results.js'
import { ReadingThread } from './reading-thread.js'
import { recordTexts } from './record-texts.js'

export type { ReadResult } from './read-results.js'

/** Records read and validated together: enough to amortise the parsers' set-up, few enough to stream. */
const BATCH = 500
/** How much of the start of a stream detection looks at. */
const HEAD = 8192
/** An input shorter than this is read here even when a thread is asked for: it takes about as long to read as a thread takes to start. */
const LONG = 1 << 21
/** Batches sent to the reading thread and not yet taken back: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT = 4

/** The first chunks of a stream, joined until they are `length` long (or the stream ends), and the stream with them put back. */
async function withHead(chunks: AsyncIterable<string>, length: number): Promise<{ head: string; chunks: AsyncIterable<string> }> {
  const iterator = chunks[Symbol.asyncIterator]()
  const seen: string[] = []
  let seenLength = 0
  while (seenLength < length) {
    const next = await iterator.next()
    if (next.done === true) break
    seen.push(next.value)
    seenLength += next.value.length
  }
  const head = seen.join('').replace(/^\uFEFF/, '')
  async function* all(): AsyncGenerator<string> {
    yield head
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value
  }
  return { head, chunks: all() }
}

export class UnknownFormatError extends Error {
  constructor() {
    super('the input is in none of the formats citeserve imports (name one with --from)')
    this.name = 'UnknownFormatError'
  }
}

export interface ReadOptions {
  /**
   * Read a format that is slow to read (`readsSlowly`) in a thread of its own, so that matching and
   * writing go on meanwhile; only when the input is long enough to pay for starting one.
   */
  readonly thread?: boolean
  /** The thread's module, when a test swaps in another. */
  readonly threadEntry?: URL
}

/** Record texts in batches of `BATCH`, the last one shorter. */
async function* batchesOf(texts: AsyncIterable<string>): AsyncGenerator<string[]> {
  let batch: string[] = []
  for await (const text of texts) {
    batch.push(text)
    if (batch.length >= BATCH) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

async function* readHere(reader: RecordReader, batches: AsyncIterable<string[]>): AsyncGenerator<ReadResult> {
  const results = new ReadResults()
  for await (const batch of batches) yield* results.of(reader.read(batch))
}

async function* readInThread(format: ImportFormat, entry: URL | undefined, batches: AsyncIterable<string[]>): AsyncGenerator<ReadResult> {
  const thread = new ReadingThread(format.name, entry)
  const results = new ReadResults()
  const sent: Promise<ReadOutcome[]>[] = []
  try {
    for await (const batch of batches) {
      const outcomes = thread.read(batch)
      // Awaited in turn below; a failure meanwhile must not count as unhandled.
      outcomes.catch(() => {})
      sent.push(outcomes)
      const oldest = sent.length >= IN_FLIGHT ? sent.shift() : undefined
      if (oldest !== undefined) yield* results.of(await oldest)
    }
    for (const outcomes of sent.splice(0)) yield* results.of(await outcomes)
  } finally {
    await thread.close()
  }
}

/**
 * Reads the records of a text stream, a batch at a time, in the given format or the one its start
 * is in; each comes out as a validated CSL-JSON item with an id, or as a rejection with its reason.
 */
export async function* readRecords(
  source: AsyncIterable<string>,
  format?: ImportFormat,
  options: ReadOptions = {},
): AsyncGenerator<ReadResult> {
  const { head, chunks } = await withHead(source, HEAD)
  const chosen = format ?? detectImportFormat(head)
  if (chosen === undefined) {
    if (head.trim() === '') return
    throw new UnknownFormatError()
  }
  if (options.thread !== true || chosen.readsSlowly !== true) {
    yield* readHere(chosen.reader(), batchesOf(recordTexts(chunks, chosen.syntax)))
    return
  }
  const start = await withHead(chunks, LONG)
  const batches = batchesOf(recordTexts(start.chunks, chosen.syntax))
  if (start.head.length < LONG) yield* readHere(chosen.reader(), batches)
  else yield* readInThread(chosen, options.threadEntry, batches)
}
