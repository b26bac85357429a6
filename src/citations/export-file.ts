import { Readable } from 'node:stream'
import type { Work } from '../catalogue/catalogue.js'
import type { FileJoints, Format, RenderContext } from '../formats/registry.js'
import { HttpProblem } from '../http/problem.js'
import { queuedRendering } from './render.js'

/**
 * Works rendered at a time: a piece holds the event loop for milliseconds, so that several exports
 * at once still leave it free for every other request between their pieces.
 */
export const PIECE_WORKS = 16

/**
 * Turns of the event loop for the pieces of every export, one piece a turn in all: however many
 * exports run, each turn leaves the rest of its time to the other requests' I/O. (Awaiting setImmediate
 * in each export would run a piece of every one of them in the same turn.)
 */
export class PieceTurns {
  private readonly waiting: (() => void)[] = []
  private scheduled = false

  /** Resolves on a later turn of the event loop, when no other export's piece has it. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve)
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.waiting.shift()?.()
      if (this.waiting.length > 0) this.schedule()
    })
  }
}

/**
 * Exports being sent at once, bounded: each renders ahead of a client that does not read by as much as
 * the sockets' buffers take, so many at once cost memory even though none holds its file.
 */
export class ExportSlots {
  private taken = 0

  constructor(private readonly limit: number) {}

  /**
   * A slot until `file` closes (sent, or given up).
   * @throws HttpProblem 503 with Retry-After when every slot is taken
   */
  async hold(file: () => Promise<Readable>): Promise<Readable> {
    if (this.taken >= this.limit)
      throw new HttpProblem('service-busy', `${this.limit} exports are being sent; try again shortly.`, {}, { 'retry-after': '5' })
    this.taken++
    try {
      const opened = await file()
      opened.once('close', () => this.taken--)
      return opened
    } catch (error) {
      this.taken--
      throw error
    }
  }
}

/** Where an export's works come from: a fresh pass over them, in batches, each time it is called. */
export type WorkBatches = () => AsyncIterable<readonly Work[]>

/** Works in batches, as a store's scan gives them, from works already at hand. */
export function batchesOf(works: readonly Work[], size = PIECE_WORKS): WorkBatches {
  return async function* () {
    for (let start = 0; start < works.length; start += size) yield works.slice(start, start + size)
  }
}

/** The part of a file of several works that belongs to them, without the file's head and tail. */
function worksPart(file: string, { headLines, tail }: FileJoints): string {
  let start = 0
  for (let line = 0; line < headLines; line++) start = file.indexOf('\n', start) + 1
  if (start === 0 && headLines > 0) throw new Error('a piece of an export lacks its head')
  if (!file.endsWith(tail)) throw new Error('a piece of an export lacks its tail')
  return file.slice(start, file.length - tail.length)
}

/**
 * A file of every work, written in pieces as the reader takes them (a piece is rendered only when
 * the one before has been taken), each on a turn of the event loop of its own (`turns`). A single piece is the
 * file exactly as rendered whole. Pieces keep at least two works, so that every one is rendered in
 * the several-works form that `joints` describes.
 */
async function* pieces(
  format: Format,
  joints: FileJoints,
  batches: WorkBatches,
  context: RenderContext,
  turns: PieceTurns,
): AsyncGenerator<string> {
  let pending: Work[] = []
  let written = 0
  const render = (works: readonly Work[]) => format.render(works, context, written) as string
  for await (const batch of batches()) {
    pending = pending.concat(batch)
    while (pending.length >= 2 * PIECE_WORKS) {
      const piece = pending.slice(0, PIECE_WORKS)
      pending = pending.slice(PIECE_WORKS)
      const file = render(piece)
      yield written === 0 ? file.slice(0, file.length - joints.tail.length) : `${joints.separator}${worksPart(file, joints)}`
      written += piece.length
      await turns.next()
    }
  }
  if (written === 0) yield render(pending)
  else yield `${joints.separator}${worksPart(render(pending), joints)}${joints.tail}`
}

/** A CSL rendering (by citeproc, in a render worker): whole, as the style orders the whole list. */
async function whole(format: Format, batches: WorkBatches, context: RenderContext): Promise<string> {
  const works: Work[] = []
  for await (const batch of batches()) works.push(...batch)
  return queuedRendering(format.render(works, context))
}

/** Every work the format cannot write, as one 422 problem naming them, found before the first byte is sent. */
async function checkGaps(format: Format, batches: WorkBatches): Promise<void> {
  const { gap } = format
  if (gap === undefined) return
  const gaps: string[] = []
  for await (const batch of batches())
    for (const work of batch) {
      const missing = gap(work)
      if (missing !== undefined) gaps.push(`"${work.id}": ${missing}`)
    }
  if (gaps.length > 0) throw new HttpProblem('incomplete-record', `Not available as ${format.name}: ${gaps.join('; ')}.`)
}

/**
 * The export of the works as a stream with back-pressure: memory per export is a piece and the
 * socket's buffers, however many works the file has and however slowly the client reads. A CSL
 * rendering is made before anything is sent, so that its failure is still a problem document.
 * @throws HttpProblem when a work lacks what the format requires
 */
export async function exportFile(format: Format, batches: WorkBatches, context: RenderContext, turns: PieceTurns): Promise<Readable> {
  await checkGaps(format, batches)
  const text =
    format.joints === undefined ? [await whole(format, batches, context)] : pieces(format, format.joints, batches, context, turns)
  // Bytes, not strings, so that the stream's buffer is bounded by size rather than by a count of pieces.
  return Readable.from(text, { objectMode: false })
}
