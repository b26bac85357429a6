interface Terminal {
  write(text: string): void
  readonly isTTY?: boolean
}

/** How often the progress line is redrawn. */
const REDRAW_MS = 250

/**
 * A progress line on a terminal (records, rate and, for files, how much has been read); nothing when
 * the output is not a terminal, so that logs and pipes stay clean.
 */
export class Progress {
  private records = 0
  private read = 0
  private total = 0
  private readonly started = performance.now()
  /** When the line was last drawn; undefined until it is first drawn. */
  private drawn: number | undefined

  constructor(private readonly terminal: Terminal) {}

  /** The chunks, counted as they are read; `size` is the input's size in bytes when known. */
  async *counting(chunks: AsyncIterable<string>, size: number | undefined): AsyncGenerator<string> {
    this.total += size ?? 0
    for await (const chunk of chunks) {
      this.read += chunk.length
      yield chunk
    }
  }

  record(): void {
    this.records++
    if (this.terminal.isTTY !== true) return
    const now = performance.now()
    if (this.drawn !== undefined && now - this.drawn < REDRAW_MS) return
    this.drawn = now
    const rate = Math.round(this.records / ((now - this.started) / 1000))
    const share = this.total > 0 ? ` ${Math.min(100, Math.floor((100 * this.read) / this.total))}%` : ''
    this.terminal.write(`\r\u001b[Kimporting:${share} ${this.records} records, ${rate}/s`)
  }

  done(): void {
    if (this.terminal.isTTY === true && this.drawn !== undefined) this.terminal.write('\r\u001b[K')
  }
}
