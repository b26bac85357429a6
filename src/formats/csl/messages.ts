import type { CslEntry } from '../bibliography.js'
import type { EngineStats } from './engines.js'
import type { BuiltinCsl, CslLibraryOptions } from './library.js'

/** What a render worker starts with: where the styles and locales are, and how many engines it keeps. */
export interface RenderWorkerData extends CslLibraryOptions {
  readonly builtins: BuiltinCsl
  readonly engines: number
}

/**
 * A bibliography or citation of the entries, by the ids of a style and locale the main thread resolved;
 * or, with no entries, only the engine of that style and locale compiled ahead of its first use.
 */
export interface RenderJob {
  readonly id: number
  readonly kind: 'bibliography' | 'citation' | 'compile'
  readonly style: string
  readonly locale: string
  readonly output: 'text' | 'html'
  readonly entries: readonly CslEntry[]
}

/** A question about the worker's engine pool. */
interface StatsJob {
  readonly id: number
  readonly kind: 'stats'
}

export type WorkerJob = RenderJob | StatsJob

/** The engine pool of one worker, and the thread it lives in. */
export interface WorkerEngineStats extends EngineStats {
  readonly threadId: number
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly text: string }
  | { readonly id: number; readonly ok: true; readonly stats: WorkerEngineStats }
  | { readonly id: number; readonly ok: false; readonly message: string }
