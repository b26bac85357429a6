import { createHash } from 'node:crypto'
import type { CslItem } from '../catalogue/schema.js'

/** What matching needs of the works already there: ids, DOIs and a digest of each record, never the records. */
export interface ExistingWorks {
  /** The digest of each work's record, by id. */
  readonly digests: ReadonlyMap<string, string>
  /** The id of the work with each DOI, by normalised DOI. */
  readonly idsByDoi: ReadonlyMap<string, string>
}

/**
 * Where imported records go: the file store's data file, or (through the same calls) a database
 * store's bulk loader. Nothing is visible to readers of the catalogue before `commit`.
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
