import { normalizeDoi } from '../catalogue/doi.js'
import type { CslItem } from '../catalogue/schema.js'
import type { CatalogueStore, WorkChange } from '../catalogue/store.js'
import { recordDigest, type ExistingWorks, type ImportTarget } from './target.js'

/**
 * A running catalogue store as an import target, for an import over HTTP. Works are looked up one by
 * one as the records come, since a request has few records and the catalogue may have many; every add
 * and replace goes into one `write` at commit, all or nothing. Each change holds to what the lookup
 * saw (an add to no work having the id, a replacement to the version matched), so that a write by
 * another client in between is refused rather than overwritten.
 */
export class StoreTarget implements ImportTarget {
  private changes: WorkChange[] = []
  private readonly versions = new Map<string, string>()
  private readonly digests = new Map<string, string | undefined>()

  constructor(private readonly store: CatalogueStore) {}

  async existing(): Promise<ExistingWorks> {
    return {
      digestOf: async (id) => {
        if (!this.digests.has(id)) {
          const work = await this.store.find(id)
          // `find` falls back to DOIs: a work found by its DOI has another id.
          const same = work?.id === id ? work : undefined
          if (same !== undefined) this.versions.set(id, same.version)
          this.digests.set(id, same === undefined ? undefined : recordDigest(same.item))
        }
        return this.digests.get(id)
      },
      // A work whose id is this very DOI hides the work that has the DOI; `find` prefers ids.
      idWithDoi: async (doi) => {
        const work = await this.store.find(doi)
        return work?.item.DOI !== undefined && normalizeDoi(work.item.DOI) === doi ? work.id : undefined
      },
    }
  }

  async add(item: CslItem): Promise<void> {
    this.changes.push({ kind: 'put', item, ifAbsent: true })
  }

  async replace(item: CslItem): Promise<void> {
    this.changes.push({ kind: 'put', item, ifVersion: this.versions.get(String(item.id)) })
  }

  async commit(): Promise<void> {
    await this.store.write(this.changes)
    this.changes = []
  }

  async abort(): Promise<void> {
    this.changes = []
  }
}
