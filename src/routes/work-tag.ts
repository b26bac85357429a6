import type { CatalogueStore, StoredWork } from '../catalogue/store.js'
import { ifMatchHolds } from '../http/conditional.js'
import { HttpProblem } from '../http/problem.js'

/** What an entity tag may hold between its quotes (RFC 9110 §8.8.3, etagc, ASCII only). */
const ENTITY_TAG_TEXT = /^[\x21\x23-\x7e]*$/

/**
 * The ETag of a work's metadata (GET /works/{id} as JSON, and the answer of a write): its version
 * (encoded, should a store's version hold what a tag may not), so that an If-Match maps onto the
 * store's own check of the version.
 */
export function workTag(work: StoredWork): string {
  const { version } = work
  return `"${ENTITY_TAG_TEXT.test(version) ? version : Buffer.from(version, 'utf8').toString('base64url')}"`
}

/** The conditions of one change, as the store takes them. */
export interface Precondition {
  readonly ifVersion?: string
  readonly ifAbsent?: boolean
}

export interface ConditionalWriteHeaders {
  readonly 'if-match'?: string | undefined
  readonly 'if-none-match'?: string | undefined
}

/** Whether If-None-Match asks to create only (`*`, the one value a write takes). */
export function createOnly(ifNoneMatch: string | undefined): boolean {
  if (ifNoneMatch === undefined) return false
  if (ifNoneMatch.trim() === '*') return true
  throw HttpProblem.invalidParameters([{ in: 'header', name: 'If-None-Match', detail: 'a write takes only "*" (create, only if absent)' }])
}

const failed = (id: string, why: string) => new HttpProblem('precondition-failed', `Work "${id}" ${why}.`)

/**
 * What If-Match and If-None-Match ask of a write to work `id`. If-Match is checked against the work as
 * it is now and becomes the store's version check, so a change in between still fails (412) in the
 * store; `If-None-Match: *` (create only) becomes the store's absence check.
 */
export async function preconditionOf(store: CatalogueStore, id: string, headers: ConditionalWriteHeaders): Promise<Precondition> {
  const ifAbsent = createOnly(headers['if-none-match'])
  const ifMatch = headers['if-match']
  if (ifMatch === undefined) return ifAbsent ? { ifAbsent } : {}
  if (ifAbsent) {
    throw HttpProblem.invalidParameters([{ in: 'header', name: 'If-None-Match', detail: 'cannot be combined with If-Match on a write' }])
  }
  const found = await store.find(id)
  // find() also answers by DOI: only the work with this record id is the one a write replaces.
  const current = found?.id === id ? found : undefined
  if (current === undefined) throw failed(id, 'does not exist, and If-Match requires it to')
  if (!ifMatchHolds(ifMatch, workTag(current))) throw failed(id, `has changed: its ETag is now ${workTag(current)}`)
  return { ifVersion: current.version }
}
