import { recordProblems } from '../catalogue/validate-record.js'
import { describeRecordProblem } from '../catalogue/record-problem.js'
import type { CslItem } from '../catalogue/schema.js'
import { detectImportFormat } from '../formats/read/formats.js'
import { isUnreadable, type ImportFormat, type NotCarried } from '../formats/read/reader.js'
import { madeId } from './ids.js'
import { recordTexts } from './record-texts.js'

/** What reading made of one record of the input, before it is matched against the catalogue. */
export type ReadResult =
  | {
      readonly index: number
      readonly item: CslItem
      /** Whether the id was made by the importer rather than given by the source. */
      readonly madeId: boolean
      readonly notCarried: readonly NotCarried[]
      readonly renamed: readonly { readonly from: string; readonly to: string }[]
    }
  | { readonly index: number; readonly id?: string | undefined; readonly rejected: string; readonly notCarried: readonly NotCarried[] }

/** Records read and validated together: enough to amortise the parsers' set-up, few enough to stream. */
const BATCH = 500
/** How much of the start of a stream detection looks at. */
const HEAD = 8192

/** The first chunks of a stream, joined until detection has seen enough, and the stream with them put back. */
async function withHead(chunks: AsyncIterable<string>): Promise<{ head: string; chunks: AsyncIterable<string> }> {
  const iterator = chunks[Symbol.asyncIterator]()
  const seen: string[] = []
  let length = 0
  while (length < HEAD) {
    const next = await iterator.next()
    if (next.done === true) break
    seen.push(next.value)
    length += next.value.length
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

/**
 * Reads the records of a text stream, a batch at a time, in the given format or the one its start
 * is in; each comes out as a validated CSL-JSON item with an id, or as a rejection with its reason.
 */
export async function* readRecords(source: AsyncIterable<string>, format?: ImportFormat): AsyncGenerator<ReadResult> {
  const { head, chunks } = await withHead(source)
  const chosen = format ?? detectImportFormat(head)
  if (chosen === undefined) {
    if (head.trim() === '') return
    throw new UnknownFormatError()
  }
  const reader = chosen.reader()
  let index = 0
  let batch: string[] = []
  const flush = function* (): Generator<ReadResult> {
    for (const outcome of reader.read(batch)) {
      const position = index++
      if (isUnreadable(outcome)) {
        yield { index: position, rejected: outcome.error, notCarried: [] }
        continue
      }
      const given =
        outcome.key ?? (typeof outcome.item.id === 'string' || typeof outcome.item.id === 'number' ? String(outcome.item.id) : '')
      const id = given === '' ? madeId(outcome.item) : given
      const item = { ...outcome.item, id }
      const problems = recordProblems(position, item)
      if (problems.length > 0) {
        const reasons = problems.map((problem) => describeRecordProblem(problem).replace(/^record \d+( \(id [^)]*\))?: /, ''))
        yield { index: position, id, rejected: `not valid CSL-JSON: ${reasons.join('; ')}`, notCarried: outcome.notCarried }
      } else {
        yield {
          index: position,
          item: item as CslItem,
          madeId: id !== given,
          notCarried: outcome.notCarried,
          renamed: outcome.renamed ?? [],
        }
      }
    }
    batch = []
  }
  for await (const text of recordTexts(chunks, chosen.syntax)) {
    batch.push(text)
    if (batch.length >= BATCH) yield* flush()
  }
  yield* flush()
}
