import { normalizeDoi } from '../catalogue/doi.js'
import type { CslItem } from '../catalogue/schema.js'
import { recordDigest, type ExistingWorks } from './target.js'

/**
 * A copy of a string that shares no memory with it. Ids and DOIs are cut out of the input text, and
 * V8 keeps the whole text a substring was cut from for as long as the substring lives.
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8')
}

export type ConflictPolicy = 'skip' | 'replace' | 'fail'

export type Decision =
  | { readonly outcome: 'added'; readonly item: CslItem }
  | { readonly outcome: 'updated'; readonly item: CslItem; readonly reason: string }
  | { readonly outcome: 'unchanged' | 'skipped' | 'rejected'; readonly id: string; readonly reason?: string }

/**
 * Decides what becomes of each incoming record: it matches a work by DOI (in any spelling), then by
 * id; it repeats a record earlier in the same import; or it is new. Keeps only ids and DOIs in memory.
 */
export class ImportPlan {
  private readonly incomingIds = new Map<string, number>()
  private readonly incomingDois = new Map<string, number>()

  constructor(
    private readonly existing: ExistingWorks,
    private readonly policy: ConflictPolicy,
  ) {}

  /** A made id that an earlier record of the import already took gets a suffix: -2, -3… */
  private unique(item: CslItem, madeId: boolean): CslItem {
    if (!madeId) return item
    const base = String(item.id)
    let id = base
    for (let suffix = 2; this.incomingIds.has(id); suffix++) id = `${base}-${suffix}`
    return id === base ? item : { ...item, id }
  }

  async decide(incoming: CslItem, madeId: boolean, position: number): Promise<Decision> {
    const item = this.unique(incoming, madeId)
    const id = String(item.id)
    const doi = item.DOI === undefined ? undefined : normalizeDoi(item.DOI)
    const earlier = (doi === undefined ? undefined : this.incomingDois.get(doi)) ?? this.incomingIds.get(id)
    if (earlier !== undefined) {
      const by = doi !== undefined && this.incomingDois.get(doi) === earlier ? 'DOI' : 'id'
      return { outcome: 'skipped', id, reason: `repeats the ${by} of record ${earlier + 1} of this import` }
    }
    this.incomingIds.set(detached(id), position)
    if (doi !== undefined) this.incomingDois.set(detached(doi), position)
    const byDoi = doi === undefined ? undefined : await this.existing.idWithDoi(doi)
    const matched = byDoi ?? ((await this.existing.digestOf(id)) === undefined ? undefined : id)
    if (matched === undefined) return { outcome: 'added', item }
    const replacement = { ...item, id: matched }
    const how = byDoi === undefined ? `has the id of work ${matched}` : `has the DOI of work ${matched}`
    if ((await this.existing.digestOf(matched)) === recordDigest(replacement)) return { outcome: 'unchanged', id: matched }
    if (this.policy === 'replace') return { outcome: 'updated', item: replacement, reason: how }
    if (this.policy === 'skip') return { outcome: 'skipped', id: matched, reason: `${how}, which differs (--on-conflict skip)` }
    return { outcome: 'rejected', id: matched, reason: `${how}, which differs: --on-conflict replace updates it, skip keeps it` }
  }
}
