import type { Worker } from 'node:worker_threads'
import { startWorker, workerEntry } from '../../worker-thread.js'
import type { CslEntry } from '../bibliography.js'
import type { CslRequest } from './engines.js'
import type { BuiltinCsl, CslLibraryOptions } from './library.js'
import type { RenderJob, RenderWorkerData, WorkerEngineStats, WorkerJob, WorkerReply } from './messages.js'

/** A render that failed inside a worker (citeproc could not compile the style, say), or a worker that stopped. */
export class CslRenderError extends Error {
  override name = 'CslRenderError'
}

/** Why a job was dropped: the reason its signal was aborted with. */
function givenUp(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new CslRenderError('the request for this rendering was given up')
}

/** A job refused because its lane's queue is full: the workers are behind, and the client should come back later. */
export class RenderQueueFullError extends Error {
  override name = 'RenderQueueFullError'
  constructor(
    readonly lane: Lane,
    readonly retryAfterSeconds: number,
  ) {
    super(`the CSL render queue for ${lane === 'single' ? 'single works' : 'several works'} is full`)
  }
}

/**
 * Jobs of one work (a work's citation, its landing page's citation box) go before jobs of several (an
 * export's bibliography), so that a client's large bibliographies delay them by one job at most.
 */
type Lane = 'single' | 'bulk'

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
  /** Jobs of one work that may wait for a worker, all workers together; more are refused. */
  readonly queueLimit?: number
  /** Jobs of several works that may wait for a worker, all workers together; more are refused. */
  readonly bulkQueueLimit?: number
}

export interface RenderPoolStats {
  /** Workers running now (they start on their first job). */
  readonly workers: number
  /** Jobs sent to workers since the pool was made. */
  readonly jobs: number
  /** Workers that stopped without being asked to. */
  readonly crashes: number
  /** Jobs waiting for a worker. */
  readonly queued: number
}

const DEFAULT_ENTRY = workerEntry('render-worker', import.meta.url)

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

/** A render job waiting for its worker to finish the one before. */
interface Queued {
  readonly job: RenderJob
  readonly lane: Lane
  readonly resolve: (text: string) => void
  readonly reject: (error: Error) => void
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
}

/** One worker's place in the pool: the worker (started on its first job), whether it renders now, and its waiting jobs. */
interface Slot {
  worker: RenderWorker | undefined
  busy: boolean
  readonly waiting: Record<Lane, Queued[]>
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
    this.worker = startWorker(entry, { workerData })
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
 *
 * Each worker is given one job at a time; the others wait here, in two bounded lanes (see `Lane`), so
 * that a job whose request was given up (its signal aborted) leaves the queue without being rendered,
 * and a full lane refuses at once rather than growing an outage.
 */
export class CslRenderPool {
  private readonly slots: Slot[]
  private readonly workerData: RenderWorkerData
  private readonly entry: URL
  private readonly hungAfterMs: number
  private readonly limits: Record<Lane, number>
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
    queueLimit = 200,
    bulkQueueLimit = 4,
  }: RenderPoolOptions) {
    this.slots = Array.from({ length: workers }, () => ({ worker: undefined, busy: false, waiting: { single: [], bulk: [] } }))
    this.workerData = { builtins, styleDirectories, localeDirectories, engines: Math.max(1, Math.floor(engines / workers)) }
    this.entry = entry
    this.hungAfterMs = hungAfterMs
    this.limits = { single: queueLimit, bulk: bulkQueueLimit }
  }

  get stats(): RenderPoolStats {
    return {
      workers: this.slots.filter((slot) => slot.worker !== undefined).length,
      jobs: this.jobs,
      crashes: this.crashes,
      queued: this.queued('single') + this.queued('bulk'),
    }
  }

  /**
   * @param signal aborted when nobody waits for the answer any more: a job still waiting is dropped
   * @throws RenderQueueFullError when the job's lane is full
   */
  render(kind: 'bibliography' | 'citation', works: readonly CslEntry[], request: CslRequest, signal?: AbortSignal): Promise<string> {
    return this.enqueue(kind, works, request, signal)
  }

  /**
   * Has the worker of a style and locale compile its engine now, ahead of the requests that will need
   * it: they queue behind the compile rather than start it. Resolves once compiled.
   */
  async compile(request: CslRequest): Promise<void> {
    await this.enqueue('compile', [], request)
  }

  private enqueue(kind: RenderJob['kind'], works: readonly CslEntry[], request: CslRequest, signal?: AbortSignal): Promise<string> {
    if (this.closed) return Promise.reject(new CslRenderError('the CSL render workers were shut down'))
    if (signal?.aborted) return Promise.reject(givenUp(signal))
    const lane: Lane = kind === 'compile' || works.length === 1 ? 'single' : 'bulk'
    if (this.queued(lane) >= this.limits[lane]) return Promise.reject(new RenderQueueFullError(lane, lane === 'single' ? 1 : 5))
    const { style, locale, output } = request
    const slot = this.slots[hash(`${style.id}|${locale.id}`) % this.slots.length] as Slot
    // Only the id and record of each work cross to the worker: copying is the main thread's share.
    const entries = works.map(({ id, item }) => ({ id, item }))
    const job: RenderJob = { id: this.nextId++, kind, style: style.id, locale: locale.id, output, entries }
    return new Promise((resolve, reject) => {
      const queued: Queued = { job, lane, resolve, reject, signal, onAbort: () => this.drop(slot, queued) }
      signal?.addEventListener('abort', queued.onAbort, { once: true })
      slot.waiting[lane].push(queued)
      this.next(slot)
    })
  }

  /** Starts every worker now rather than on its first job, so that none starts on a request's time. */
  start(): void {
    this.slots.forEach((slot) => this.worker(slot))
  }

  /** The engine pool of each running worker. */
  async engineStats(): Promise<WorkerEngineStats[]> {
    const running = this.slots.flatMap((slot) => (slot.worker === undefined ? [] : [slot.worker]))
    const replies = await Promise.all(running.map((worker) => worker.send({ id: this.nextId++, kind: 'stats' })))
    return replies.flatMap((reply) => ('stats' in reply ? [reply.stats] : []))
  }

  /** Stops every worker; jobs still running or waiting fail, and later ones are refused. */
  async close(): Promise<void> {
    this.closed = true
    const running = this.slots.flatMap((slot) => (slot.worker === undefined ? [] : [slot.worker]))
    for (const slot of this.slots) {
      slot.worker = undefined
      for (const queued of [...slot.waiting.single, ...slot.waiting.bulk])
        this.settle(queued).reject(new CslRenderError('the CSL render workers were shut down'))
      slot.waiting.single.length = 0
      slot.waiting.bulk.length = 0
    }
    await Promise.all(running.map((worker) => worker.stop()))
  }

  private queued(lane: Lane): number {
    return this.slots.reduce((sum, slot) => sum + slot.waiting[lane].length, 0)
  }

  /** Hands the slot's worker its next job, single works first, when it has none. */
  private next(slot: Slot): void {
    if (slot.busy || this.closed) return
    const queued = slot.waiting.single.shift() ?? slot.waiting.bulk.shift()
    if (queued === undefined) return
    const { resolve, reject } = this.settle(queued)
    slot.busy = true
    this.jobs++
    this.worker(slot)
      .send(queued.job)
      .then((reply) => resolve('text' in reply ? reply.text : ''), reject)
      .finally(() => {
        slot.busy = false
        this.next(slot)
      })
  }

  /** A job leaving the queue: it no longer listens for its request being given up. */
  private settle(queued: Queued): Pick<Queued, 'resolve' | 'reject'> {
    queued.signal?.removeEventListener('abort', queued.onAbort)
    return queued
  }

  /** Drops a job whose request was given up, if it is still waiting. */
  private drop(slot: Slot, queued: Queued): void {
    const lane = slot.waiting[queued.lane]
    const index = lane.indexOf(queued)
    if (index === -1) return
    lane.splice(index, 1)
    queued.reject(givenUp(queued.signal))
  }

  private worker(slot: Slot): RenderWorker {
    if (slot.worker === undefined) {
      const started: RenderWorker = new RenderWorker(this.entry, this.workerData, this.hungAfterMs, () => {
        this.crashes++
        if (slot.worker === started) slot.worker = undefined
      })
      slot.worker = started
    }
    return slot.worker
  }
}
