import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { once } from 'node:events'

/** How much text is gathered before it is written. */
export const PIECE = 1 << 20

/** Writes text with the stream's backpressure. */
export async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain')
}

export async function closed(stream: WriteStream): Promise<void> {
  stream.end()
  await once(stream, 'close')
}

/** The lines of a text stream. */
async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = ''
  for await (const chunk of chunks) {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    yield* lines.filter((line) => line !== '')
  }
  if (rest !== '') yield rest
}

/**
 * The records an import adds, kept in a file as JSON lines until it commits: a large import's records
 * do not fit in memory, and nothing may reach the catalogue before the end.
 */
export class Spool {
  private stream: WriteStream | undefined
  /** Records not yet handed to the stream: writing them a large piece at a time is cheaper. */
  private pending = ''

  constructor(private readonly path: string) {}

  async add(json: string): Promise<void> {
    this.pending += `${json}\n`
    if (this.pending.length >= PIECE) await this.flush()
  }

  private async flush(): Promise<void> {
    if (this.pending === '') return
    this.stream ??= createWriteStream(this.path, { flags: 'w' })
    await write(this.stream, this.pending)
    this.pending = ''
  }

  /** Every record added, as JSON text, in order; once. */
  async *texts(): AsyncGenerator<string> {
    await this.flush()
    if (this.stream === undefined) return
    await closed(this.stream)
    this.stream = undefined
    yield* splitLines(createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>)
  }

  async discard(): Promise<void> {
    this.pending = ''
    if (this.stream !== undefined) await closed(this.stream)
    this.stream = undefined
    await rm(this.path, { force: true })
  }
}
