import { randomBytes } from 'node:crypto'
import { clashProblems, RecordClashError } from './clashes.js'
import { replaceFileDurably } from './durable-file.js'
import { readDataFile, recordsError, yieldToEventLoop } from './load.js'
import { planWrite } from './plan-write.js'
import { revise } from './revision.js'
import type { CslItem } from './schema.js'
import { Snapshot } from './snapshot.js'
import {
  InvalidRecordsError,
  type CatalogueState,
  type CatalogueStore,
  type ChangeOutcome,
  type ListRequest,
  type StoredWork,
  type StoreHealth,
  type WorkChange,
  type WorkPage,
  type WorkQuery,
} from './store.js'
import { watchDataFile, type DataFileWatcher } from './watch.js'

export type ReloadResult =
  | { readonly ok: true; readonly works: number; readonly generation: number; readonly ms: number }
  | { readonly ok: false; readonly error: unknown; readonly ms: number }

export interface FileStoreOptions {
  /** The data file: read at open and on reload, replaced by writes. */
  readonly file: string
  /** Reload when the file changed and then stayed unchanged this long; 0: only when `reload` is called. */
  readonly watchMs?: number
  /** Told when a reload starts (and why) and how each one ended. */
  readonly onReloading?: (cause: string) => void
  readonly onReloaded?: (result: ReloadResult) => void
  /** Told when the file cannot be watched any more. */
  readonly onWatchFailed?: (error: Error) => void
}

/** Scan batches when the caller names no size: enough to amortise a batch, small enough to stream. */
const DEFAULT_BATCH = 500

/** The later of two times: a time of change never goes backwards, whatever the clock or the file says. */
const laterOf = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b)

/**
 * The catalogue in memory, from the data file (or, for tests and tools, from records in memory):
 * an immutable snapshot swapped whole by each reload and write, so that a request in flight during
 * a swap finishes on the data it started with. Reloads and writes take turns, so neither loses
 * the other's changes; a write rewrites the whole file.
 */
export class FileStore implements CatalogueStore {
  private tail: Promise<unknown> = Promise.resolve()
  private queuedReload: Promise<ReloadResult> | undefined
  private watcher: DataFileWatcher | undefined

  private constructor(
    private snapshot: Snapshot,
    private readonly options: FileStoreOptions | undefined,
  ) {}

  /**
   * Loads the data file; its modification time is the time of change of every work.
   * @throws CatalogueError naming the file, and every record and field at fault
   */
  static async open(options: FileStoreOptions): Promise<FileStore> {
    const { items, modified } = await readDataFile(options.file)
    const first = await firstSnapshot(items, modified).catch((error: unknown) => {
      throw error instanceof RecordClashError ? recordsError(options.file, clashProblems(items, error.clashes)) : error
    })
    const store = new FileStore(first, options)
    if ((options.watchMs ?? 0) > 0) {
      store.watcher = watchDataFile(
        options.file,
        options.watchMs as number,
        () => void store.reload('file changed'),
        (error) => options.onWatchFailed?.(error),
      )
    }
    return store
  }

  /**
   * A store of `items` kept in memory only: writes change it, nothing is read or written.
   * @throws InvalidRecordsError when records clash
   */
  static async fromItems(items: readonly CslItem[], modified: Date = new Date()): Promise<FileStore> {
    const first = await firstSnapshot(items, modified).catch((error: unknown) => {
      throw error instanceof RecordClashError ? new InvalidRecordsError(clashProblems(items, error.clashes)) : error
    })
    return new FileStore(first, undefined)
  }

  async find(idOrDoi: string): Promise<StoredWork | undefined> {
    return this.snapshot.find(idOrDoi)
  }

  async findMany(idsOrDois: readonly string[]): Promise<readonly (StoredWork | undefined)[]> {
    const { snapshot } = this
    return idsOrDois.map((id) => snapshot.find(id))
  }

  async list(request: ListRequest): Promise<WorkPage> {
    return this.snapshot.list(request)
  }

  async *scan(
    query: WorkQuery,
    options: { readonly afterSeq?: number; readonly batchSize?: number } = {},
  ): AsyncIterable<readonly StoredWork[]> {
    yield* this.snapshot.batches(query, options.afterSeq, options.batchSize ?? DEFAULT_BATCH)
  }

  async types(): Promise<readonly string[]> {
    return this.snapshot.types()
  }

  async state(): Promise<CatalogueState> {
    return this.snapshot.state
  }

  write(changes: readonly WorkChange[]): Promise<readonly ChangeOutcome[]> {
    return this.inTurn(async () => {
      const before = this.snapshot
      const plan = planWrite(before, changes)
      if (plan.changes) {
        const after = await revise(before, plan.items, laterOf(new Date(), before.state.modified), yieldToEventLoop)
        await this.persist(after)
        this.snapshot = after
      }
      return plan.outcomes.map(({ id, outcome }): ChangeOutcome =>
        outcome === 'deleted' ? { id, outcome } : { id, outcome, work: this.snapshot.withId(id) as StoredWork },
      )
    })
  }

  /**
   * Reads the data file again and swaps it in if it is valid; an invalid one is refused and the
   * old one serves on. Calls while a reload waits for its turn share it.
   */
  reload(cause: string): Promise<ReloadResult> {
    this.options?.onReloading?.(cause)
    this.queuedReload ??= this.inTurn(async () => {
      this.queuedReload = undefined
      const result = await this.loadAndSwap()
      this.options?.onReloaded?.(result)
      return result
    })
    return this.queuedReload
  }

  async health(): Promise<StoreHealth> {
    return { ok: true }
  }

  async close(): Promise<void> {
    this.watcher?.close()
    await this.tail
  }

  /** Runs `task` after every reload and write before it: they take turns. */
  private inTurn<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task)
    this.tail = run.catch(() => undefined)
    return run
  }

  private async loadAndSwap(): Promise<ReloadResult> {
    const started = performance.now()
    const ms = () => Math.round(performance.now() - started)
    if (this.options === undefined) return { ok: false, error: new Error('this catalogue has no file to reload'), ms: 0 }
    try {
      const { file } = this.options
      const { items } = await readDataFile(file)
      const clashes = clashProblems(items)
      if (clashes.length > 0) throw recordsError(file, clashes)
      const before = this.snapshot
      this.snapshot = await revise(before, items, laterOf(new Date(), before.state.modified), yieldToEventLoop)
      return { ok: true, works: this.snapshot.works.length, generation: this.snapshot.generation, ms: ms() }
    } catch (error) {
      return { ok: false, error, ms: ms() }
    }
  }

  /** Writes the snapshot's records to the data file, durably, before the write is acknowledged. */
  private async persist(snapshot: Snapshot): Promise<void> {
    if (this.options === undefined) return
    const items = snapshot.works.map((work) => work.item)
    await replaceFileDurably(this.options.file, `${JSON.stringify(items, null, 2)}\n`)
    this.watcher?.acknowledge()
  }
}

/**
 * The first snapshot of a store, its works dated `modified`; a random epoch names it among other
 * stores, so that two stores' state versions never coincide.
 * @throws RecordClashError
 */
function firstSnapshot(items: readonly CslItem[], modified: Date): Promise<Snapshot> {
  return revise(Snapshot.empty(randomBytes(4).toString('hex')), items, modified, yieldToEventLoop)
}
