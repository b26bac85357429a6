import { LRUCache } from 'lru-cache'
import { normalizeDoi } from '../doi.js'
import type { StoredWork } from '../store.js'

/**
 * The works this process looked up lately, so that a repeated lookup costs no query. Changes reported
 * by the database invalidate them; a lookup that began before an invalidation does not fill the cache,
 * since what it read may be older than the change. While changes cannot be heard (the listening
 * connection is down) the cache is not trusted, and serves only when the database cannot answer.
 */
export class WorkCache {
  private readonly works: LRUCache<string, StoredWork>
  /** Lookups that found a work by DOI rather than id, as given, to the id found. */
  private readonly byDoi: LRUCache<string, string>
  private generation = 0
  trusted = false

  constructor(entries: number) {
    this.works = new LRUCache({ max: entries })
    this.byDoi = new LRUCache({ max: entries })
  }

  /** Counts invalidations: a lookup passes the value it started at to `remember`. */
  get epoch(): number {
    return this.generation
  }

  /** The cached work `find(idOrDoi)` would return, if the cache has it (and, by default, is trusted). */
  get(idOrDoi: string, evenUntrusted = false): StoredWork | undefined {
    if (!this.trusted && !evenUntrusted) return undefined
    const byId = this.works.get(idOrDoi)
    if (byId !== undefined) return byId
    const id = this.byDoi.get(idOrDoi)
    const work = id === undefined ? undefined : this.works.get(id)
    // The work may have lost the DOI since, and then it was invalidated and fetched again without it.
    return work?.item.DOI !== undefined && normalizeDoi(work.item.DOI) === normalizeDoi(idOrDoi) ? work : undefined
  }

  /** Keeps what a lookup of `idOrDoi` found, unless something was invalidated since `epoch`. */
  remember(idOrDoi: string, work: StoredWork, epoch: number): void {
    if (epoch !== this.generation || !this.trusted) return
    this.works.set(work.id, work)
    if (idOrDoi !== work.id) this.byDoi.set(idOrDoi, work.id)
  }

  /** Forgets the works with these ids, and the DOI lookups a new work with one of them as id would now answer. */
  invalidate(ids: Iterable<string>): void {
    this.generation++
    for (const id of ids) {
      this.works.delete(id)
      this.byDoi.delete(id)
    }
  }

  invalidateAll(): void {
    this.generation++
    this.works.clear()
    this.byDoi.clear()
  }
}
