import { baseKey, uniqueKey } from './keys.js'
import type { CslItem } from './schema.js'

/** A record of the catalogue as formats and pages use it: what every store's works have. */
export interface Work {
  /** The record's id as a string: CSL-JSON allows numbers. */
  readonly id: string
  /** A BibTeX-safe citation key, unique in the catalogue. */
  readonly key: string
  readonly item: CslItem
}

/** Records as works with unique citation keys, in their order: for tools and tests that render records without a store. */
export function worksOf(items: readonly CslItem[]): Work[] {
  const used = new Set<string>()
  return items.map((item) => ({ id: String(item.id), key: uniqueKey(baseKey(item), used), item }))
}
