import { createHash } from 'node:crypto'
import type { CslItem } from '../catalogue/schema.js'

/** What matching asks of the works already there: by id, a digest of the record; by DOI, the work's id. */
export interface ExistingWorks {
  /** The digest (`recordDigest`) of the record of the work with this id, if there is one. */
  digestOf(id: string): Promise<string | undefined>
  /** The id of the work with this DOI, normalised, if there is one. */
  idWithDoi(doi: string): Promise<string | undefined>
}

/** Existing works read once ahead, by a target that reads them all anyway (a data file, a bulk load): their ids, DOIs and digests, never the records. */
export class KnownWorks implements ExistingWorks {
  private readonly digests = new Map<string, string>()
  private readonly idsByDoi = new Map<string, string>()

  /** Notes a work; its DOI, if any, normalised. */
  add(id: string, digest: string, doi: string | undefined): void {
    this.digests.set(id, digest)
    if (doi !== undefined) this.idsByDoi.set(doi, id)
  }

  async digestOf(id: string): Promise<string | undefined> {
    return this.digests.get(id)
  }

  async idWithDoi(doi: string): Promise<string | undefined> {
    return this.idsByDoi.get(doi)
  }
}

/**
 * Where imported records go: the file store's data file, the PostgreSQL store's bulk loader, or a
 * running store's all-or-nothing write. Nothing is visible to readers of the catalogue before `commit`.
 */
export interface ImportTarget {
  existing(): Promise<ExistingWorks>
  add(item: CslItem): Promise<void>
  /** Replaces the work with `item.id`, which exists. */
  replace(item: CslItem): Promise<void>
  /** Makes every add and replace durable at once. */
  commit(): Promise<void>
  /** Leaves the catalogue as it was. */
  abort(): Promise<void>
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  )
}

/** A digest of a record's content, the same whatever the order of its keys. */
export function recordDigest(item: unknown): string {
  return createHash('sha1')
    .update(JSON.stringify(canonical(item)))
    .digest('base64')
}
