import { Worker } from 'node:worker_threads'
import type { CslEntry } from '../bibliography.js'
import type { CslRequest } from './engines.js'
import type { BuiltinCsl, CslLibraryOptions } from './library.js'
import type { RenderJob, RenderWorkerData, WorkerEngineStats, WorkerJob, WorkerReply } from './messages.js'

/** A render that failed inside a worker (citeproc could not compile the style, say), or a worker that stopped. */
export class CslRenderError extends Error {
  override name = 'CslRenderError'
}

export interface RenderPoolOptions extends CslLibraryOptions {
  readonly builtins: BuiltinCsl
  /** How many worker threads render. */
  readonly workers: number
  /** Compiled engines kept by all workers together, split evenly between them (at least one each). */
  readonly engines: number
  /**
   * How long a worker with jobs may go without answering any before it is taken for hung (a style on
   * which citeproc loops, say), stopped and replaced; its jobs fail. A minute by default: compiling
   * the largest official style takes seconds.
   */
  readonly hungAfterMs?: number
  /** The workers' module; the render worker beside this file unless a test swaps in another. */
  readonly entry?: URL
}

export interface RenderPoolStats {
  /** Workers running now (they start on their first job). */
  readonly workers: number
  /** Jobs sent to workers since the pool was made. */
  readonly jobs: number
  /** Workers that stopped without being asked to. */
  readonly crashes: number
}

// This module is TypeScript under tsx or vitest (npm start, tests) and JavaScript once built, and the
// worker's entry beside it is the same.
const OWN_EXTENSION = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? '.js'
const DEFAULT_ENTRY = new URL(`./render-worker${OWN_EXTENSION}`, import.meta.url)

/**
 * A worker running `entry`. A TypeScript entry first registers tsx's loader in the worker: workers do
 * not inherit the loader hooks of the thread that starts them (nor does vitest's transform reach them).
 */
function startWorker(entry: URL, workerData: RenderWorkerData): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData })
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  const code = `import(${tsx}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(code, { eval: true, workerData })
}

/** FNV-1a: a cheap, stable spread of style and locale ids over the workers. */
function hash(text: string): number {
  let value = 0x811c9dc5
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 0x01000193)
  return value >>> 0
}

interface Pending {
  resolve: (reply: WorkerReply) => void
  reject: (error: Error) => void
}

/** One worker thread and the jobs it has not answered yet. */
class RenderWorker {
  private readonly pending = new Map<number, Pending>()
  private readonly worker: Worker
  private failure: Error | undefined
  private stopping = false
  private watchdog: NodeJS.Timeout | undefined
  readonly exited: Promise<void>

  constructor(
    entry: URL,
    workerData: RenderWorkerData,
    private readonly hungAfterMs: number,
    onCrash: () => void,
  ) {
    this.worker = startWorker(entry, workerData)
    // An idle worker must not keep the process alive (a script, a test file); a busy one must.
    this.worker.unref()
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply))
    this.worker.on('error', (error) => (this.failure = error))
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        clearTimeout(this.watchdog)
        const reason = this.stopping
          ? 'the CSL render workers were shut down'
          : `a CSL render worker stopped (exit code ${code}${this.failure ? `: ${this.failure.message}` : ''})`
        for (const { reject } of this.pending.values()) reject(new CslRenderError(reason))
        this.pending.clear()
        if (!this.stopping) onCrash()
        resolve()
      }),
    )
  }

  send(job: WorkerJob): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) {
        this.worker.ref()
        this.watch()
      }
      this.pending.set(job.id, { resolve, reject })
      this.worker.postMessage(job)
    })
  }

  /** (Re)starts the count towards taking the worker for hung: from its last answer, while it has jobs. */
  private watch(): void {
    clearTimeout(this.watchdog)
    this.watchdog = setTimeout(() => {
      this.failure = new Error(`it answered nothing for ${this.hungAfterMs} ms and was taken for hung`)
      void this.worker.terminate()
    }, this.hungAfterMs)
    this.watchdog.unref()
  }

  async stop(): Promise<void> {
    this.stopping = true
    await this.worker.terminate()
    await this.exited
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id)
    this.pending.delete(reply.id)
    if (this.pending.size === 0) {
      clearTimeout(this.watchdog)
      this.worker.unref()
    } else this.watch()
    if (!reply.ok) waiting?.reject(new CslRenderError(reply.message))
    else waiting?.resolve(reply)
  }
}

/**
 * Renders bibliographies and citations in a few worker threads, so that compiling a style (up to
 * seconds for a large one) never holds the event loop that answers every other request. Each style
 * and locale always goes to the same worker, so an engine is compiled in one worker only, and each
 * worker keeps its share of the engines. A worker that stops fails the jobs it had (a 500 for those
 * requests; they are not retried, so that a job that kills workers cannot kill a second one) and is
 * replaced on the next job. Not piscina: it hands a task to whichever thread is free, with no way to
 * send a style to the worker that has compiled it.
 */
export class CslRenderPool {
  private readonly slots: (RenderWorker | undefined)[]
  private readonly workerData: RenderWorkerData
  private readonly entry: URL
  private readonly hungAfterMs: number
  private nextId = 0
  private jobs = 0
  private crashes = 0
  private closed = false

  constructor({
    builtins,
    styleDirectories,
    localeDirectories,
    workers,
    engines,
    hungAfterMs = 60_000,
    entry = DEFAULT_ENTRY,
  }: RenderPoolOptions) {
    this.slots = Array.from({ length: workers }, () => undefined)
    this.workerData = { builtins, styleDirectories, localeDirectories, engines: Math.max(1, Math.floor(engines / workers)) }
    this.entry = entry
    this.hungAfterMs = hungAfterMs
  }

  get stats(): RenderPoolStats {
    return { workers: this.slots.filter((slot) => slot !== undefined).length, jobs: this.jobs, crashes: this.crashes }
  }

  async render(kind: RenderJob['kind'], works: readonly CslEntry[], request: CslRequest): Promise<string> {
    const { style, locale, output } = request
    const worker = this.worker(hash(`${style.id}|${locale.id}`) % this.slots.length)
    // Only the id and record of each work cross to the worker: copying is the main thread's share.
    const entries = works.map(({ id, item }) => ({ id, item }))
    this.jobs++
    const reply = await worker.send({ id: this.nextId++, kind, style: style.id, locale: locale.id, output, entries })
    return 'text' in reply ? reply.text : ''
  }

  /** Starts every worker now rather than on its first job, so that none starts on a request's time. */
  start(): void {
    this.slots.forEach((_, index) => this.worker(index))
  }

  /** The engine pool of each running worker. */
  async engineStats(): Promise<WorkerEngineStats[]> {
    const running = this.slots.filter((slot) => slot !== undefined)
    const replies = await Promise.all(running.map((worker) => worker.send({ id: this.nextId++, kind: 'stats' })))
    return replies.flatMap((reply) => ('stats' in reply ? [reply.stats] : []))
  }

  /** Stops every worker; jobs still running fail, and later ones are refused. */
  async close(): Promise<void> {
    this.closed = true
    const running = this.slots.filter((slot) => slot !== undefined)
    this.slots.fill(undefined)
    await Promise.all(running.map((worker) => worker.stop()))
  }

  private worker(index: number): RenderWorker {
    if (this.closed) throw new CslRenderError('the CSL render workers were shut down')
    let worker = this.slots[index]
    if (worker === undefined) {
      const started: RenderWorker = new RenderWorker(this.entry, this.workerData, this.hungAfterMs, () => {
        this.crashes++
        if (this.slots[index] === started) this.slots[index] = undefined
      })
      worker = started
      this.slots[index] = worker
    }
    return worker
  }
}
