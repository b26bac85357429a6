import type { Catalogue } from './catalogue.js'

/** One catalogue as it was loaded: requests take one snapshot and use it to the end. */
export interface CatalogueSnapshot {
  readonly catalogue: Catalogue
  /** Counts the catalogues this process has served, from 1; caches key on it so that two never mix. */
  readonly generation: number
}

/** The generation of the catalogue a process starts with. */
const FIRST_GENERATION = 1

export type ReloadResult =
  | { readonly ok: true; readonly works: number; readonly generation: number; readonly ms: number }
  | { readonly ok: false; readonly error: unknown; readonly ms: number }

/**
 * The catalogue being served, swapped whole when the data file is reloaded. A request reads
 * `current` once, so one in flight during a swap finishes on the data it started with.
 */
export class LiveCatalogue {
  private snapshot: CatalogueSnapshot
  private pending: Promise<ReloadResult> | undefined
  private queued: Promise<ReloadResult> | undefined

  /** @param load reads and validates the data file anew; without it the catalogue is fixed. */
  constructor(
    initial: Catalogue,
    private readonly load?: () => Promise<Catalogue>,
  ) {
    this.snapshot = { catalogue: initial, generation: FIRST_GENERATION }
  }

  get current(): CatalogueSnapshot {
    return this.snapshot
  }

  /**
   * Loads the catalogue again and swaps it in if it is valid; an invalid one is refused and the old
   * one keeps serving. Calls during a reload coalesce: they share one more reload after it, which
   * sees the file as it is then.
   */
  reload(): Promise<ReloadResult> {
    if (this.pending) {
      this.queued ??= this.pending.then(() => {
        this.queued = undefined
        return this.reload()
      })
      return this.queued
    }
    this.pending = this.loadAndSwap().finally(() => {
      this.pending = undefined
    })
    return this.pending
  }

  private async loadAndSwap(): Promise<ReloadResult> {
    const started = performance.now()
    const elapsed = () => Math.round(performance.now() - started)
    if (!this.load) return { ok: false, error: new Error('this catalogue has no file to reload'), ms: 0 }
    try {
      const catalogue = await this.load()
      this.snapshot = { catalogue, generation: this.snapshot.generation + 1 }
      return { ok: true, works: catalogue.size, generation: this.snapshot.generation, ms: elapsed() }
    } catch (error) {
      return { ok: false, error, ms: elapsed() }
    }
  }
}
