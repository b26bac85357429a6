import type { FacetRequest, Facets, FieldQueries, SortKey, SortPosition, WorkFilters, WorkSort } from './query/types.js'
import type { RecordProblem } from './record-problem.js'
import type { CslItem } from './schema.js'

/** A record of the catalogue with what the store derives and tracks for it. */
export interface StoredWork {
  /** The record's id as a string: CSL-JSON allows numbers. */
  readonly id: string
  /** A BibTeX-safe citation key, unique in the catalogue and stable while the record is. */
  readonly key: string
  readonly item: CslItem
  /** The work's place in catalogue order: unique, larger for works added later; cursors resume after it. */
  readonly seq: number
  /** Changes whenever the record does: render caches and validators key on it. */
  readonly version: string
  /** When the record last changed (at least, when this store first saw it as it is): Last-Modified, OAI datestamps. */
  readonly modified: Date
}

/** Which works a list or scan is over; every field narrows it, none means the whole catalogue. */
export interface WorkQuery {
  /** Every word, in any case and with or without accents, in the title, abstract or names. */
  readonly text?: string | undefined
  /** The CSL type (an OAI-PMH set). */
  readonly type?: string | undefined
  /** Only works modified at or after this time. */
  readonly modifiedFrom?: Date | undefined
  /** Only works modified at or before this time. */
  readonly modifiedUntil?: Date | undefined
  /** Crossref's field queries: each narrows to works with any of its words in its fields, and ranks them. */
  readonly fields?: FieldQueries | undefined
  readonly filters?: WorkFilters | undefined
}

/** A page of a list, in catalogue order, from `offset` or after the work with seq `afterSeq`. */
export interface ListRequest {
  readonly query: WorkQuery
  readonly rows: number
  readonly offset?: number | undefined
  readonly afterSeq?: number | undefined
  /** The order (see effectiveSort): without one, or by relevance without words, catalogue order. */
  readonly sort?: WorkSort | undefined
  /** The page starts after this position in the order (a cursor), instead of at `offset`. */
  readonly after?: SortPosition | undefined
  readonly facets?: readonly FacetRequest[] | undefined
}

export interface WorkPage {
  /** How many works the query matches in all. */
  readonly total: number
  readonly works: readonly StoredWork[]
  /** Each work's relevance, in the order of `works`, when the query has words. */
  readonly scores?: readonly number[] | undefined
  /** Each work's sort key, in the order of `works`, unless in catalogue order: with its seq, where a next page starts. */
  readonly keys?: readonly SortKey[] | undefined
  readonly facets?: Facets | undefined
}

/** The catalogue as a whole, for list validators, sitemaps, health and metrics. */
export interface CatalogueState {
  readonly works: number
  /** Changes whenever any record is added, changed or removed. */
  readonly version: string
  /** When any record last changed; never goes backwards within a process. */
  readonly modified: Date
  /** The earliest `modified` of any work (OAI-PMH's earliestDatestamp); `modified` when there is none. */
  readonly earliestModified: Date
}

/** One change of a write; a write applies all of its changes or none. */
export type WorkChange =
  | {
      readonly kind: 'put'
      readonly item: CslItem
      /** Apply only if the work exists with this version (If-Match). */
      readonly ifVersion?: string | undefined
      /** Apply only if no work has this id (If-None-Match: *). */
      readonly ifAbsent?: boolean | undefined
    }
  | { readonly kind: 'delete'; readonly id: string; readonly ifVersion?: string | undefined }

export type ChangeOutcome =
  | { readonly id: string; readonly outcome: 'created' | 'replaced' | 'unchanged'; readonly work: StoredWork }
  | { readonly id: string; readonly outcome: 'deleted' }

/** Whether the store can answer now; a database store is unavailable while its server is unreachable. */
export type StoreHealth = { readonly ok: true } | { readonly ok: false; readonly reason: string }

/**
 * The catalogue's records, wherever they are kept: the file store (in memory, from the data file) or
 * the PostgreSQL store. Routes, pages, exports and caches use only this, and never know which one
 * they have. A store owns its connections, watchers and caches and releases them in `close`.
 */
export interface CatalogueStore {
  /** Finds a work by record id or, failing that, by DOI in any of its usual spellings. */
  find(idOrDoi: string): Promise<StoredWork | undefined>
  /** `find` for several at once, in the order asked. */
  findMany(idsOrDois: readonly string[]): Promise<readonly (StoredWork | undefined)[]>
  /** A page of the works matching the query, in catalogue order (by seq). */
  list(request: ListRequest): Promise<WorkPage>
  /** Every work matching the query, in catalogue order, in batches: exports, sitemaps, OAI-PMH, warm-up. */
  scan(query: WorkQuery, options?: { readonly afterSeq?: number; readonly batchSize?: number }): AsyncIterable<readonly StoredWork[]>
  /** The CSL types present, sorted. */
  types(): Promise<readonly string[]>
  state(): Promise<CatalogueState>
  /**
   * Applies the changes together, or none of them, and resolves only once they are durable.
   * @throws InvalidRecordsError, RecordConflictError, PreconditionFailedError, WorkNotFoundError
   */
  write(changes: readonly WorkChange[]): Promise<readonly ChangeOutcome[]>
  health(): Promise<StoreHealth>
  close(): Promise<void>
}

/** Records that fail validation (422): every field in error, named as the start-up message names them. */
export class InvalidRecordsError extends Error {
  constructor(readonly problems: readonly RecordProblem[]) {
    super(`${problems.length} invalid record${problems.length === 1 ? '' : 's'}`)
    this.name = 'InvalidRecordsError'
  }
}

/** A record whose id, DOI or citation key another work already has (409), naming that work. */
export class RecordConflictError extends Error {
  constructor(
    readonly id: string,
    readonly field: 'id' | 'DOI' | 'citation-key',
    readonly otherId: string,
  ) {
    super(`record "${id}" has the ${field} of work "${otherId}"`)
    this.name = 'RecordConflictError'
  }
}

/** A conditional change whose condition does not hold (412). */
export class PreconditionFailedError extends Error {
  constructor(readonly id: string) {
    super(`work "${id}" is not in the state the change requires`)
    this.name = 'PreconditionFailedError'
  }
}

/** A deletion of a work that does not exist (404). */
export class WorkNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`no work has the id "${id}"`)
    this.name = 'WorkNotFoundError'
  }
}

/**
 * The store cannot answer now (503 with Retry-After): its database is unreachable or timed out.
 * @public thrown by database stores; the file store is always available
 */
export class StoreUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`the catalogue store is unavailable: ${reason}`)
    this.name = 'StoreUnavailableError'
  }
}
