import type { Worker } from 'node:worker_threads'
import { startWorker, workerEntry } from '../worker-thread.js'
import type { ReadOutcome } from '../formats/read/reader.js'

// The protocol between an import and the thread that reads its records (read-worker.ts): the thread
// is started with the name of the format; each message to it is a batch of record texts, in input
// order, and each message back what the format's reader made of the oldest batch not yet answered.

/** What the reading thread is started with. */
export interface ReadingThreadData {
  readonly format: string
}

/** The reading thread stopped before it answered: its reader failed, or the thread itself did. */
export class ReadingThreadError extends Error {
  override name = 'ReadingThreadError'
}

const DEFAULT_ENTRY = workerEntry('read-worker', import.meta.url)

interface Waiting {
  readonly resolve: (results: ReadOutcome[]) => void
  readonly reject: (error: Error) => void
}

/** A thread that reads the record texts of one input in one format; its owner must `close` it. */
export class ReadingThread {
  private readonly worker: Worker
  private readonly waiting: Waiting[] = []
  private failure: Error | undefined
  private stopped: ReadingThreadError | undefined
  private closing = false
  private readonly exited: Promise<void>

  /** `entry` is the thread's module: the read worker beside this file unless a test swaps in another. */
  constructor(format: string, entry: URL = DEFAULT_ENTRY) {
    const workerData: ReadingThreadData = { format }
    this.worker = startWorker(entry, { workerData })
    this.worker.on('message', (results: ReadOutcome[]) => this.waiting.shift()?.resolve(results))
    this.worker.on('error', (error) => (this.failure ??= error))
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.stopped = new ReadingThreadError(
          this.closing
            ? 'the thread reading the records was closed'
            : `the thread reading the records stopped (exit code ${code}${this.failure ? `: ${this.failure.message}` : ''})`,
          { cause: this.failure },
        )
        for (const { reject } of this.waiting.splice(0)) reject(this.stopped)
        resolve()
      }),
    )
  }

  /** What the reader made of a batch of record texts, once it has read the batches sent before it. */
  read(texts: readonly string[]): Promise<ReadOutcome[]> {
    if (this.stopped !== undefined) return Promise.reject(this.stopped)
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      this.worker.postMessage(texts)
    })
  }

  /** Stops the thread; batches it has not answered fail. */
  async close(): Promise<void> {
    this.closing = true
    await this.worker.terminate()
    await this.exited
  }
}
