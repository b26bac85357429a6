import { z } from 'zod'
import type { CatalogueStore, StoredWork } from '../catalogue/store.js'
import { HttpProblem, type InvalidParameter } from '../http/problem.js'

/**
 * Where the next page of a cursor walk starts, and what the walk is over. A cursor names the last
 * work returned by its seq, not a position: works added, changed or removed meanwhile, by a write or
 * a reload, never make a walk skip or repeat a work that was there throughout.
 */
interface Cursor {
  /** The seq of the last work returned; the next page starts after it. */
  readonly afterSeq: number
  /** How many works the walk has returned: the next page's start-index. */
  readonly position: number
  /** The search the walk is over, which every page must repeat. */
  readonly query: string | null
}

// Compact on the wire: [afterSeq, position, query].
const wireSchema = z.tuple([z.number().int().min(0), z.number().int().min(0), z.string().nullable()])

/** An opaque token: base64url of the last seq, the position and the query. */
function encodeCursor({ afterSeq, position, query }: Cursor): string {
  return Buffer.from(JSON.stringify([afterSeq, position, query])).toString('base64url')
}

/** The cursor a token stands for, or undefined when the token is not one this service issued. */
function decodeCursor(token: string): Cursor | undefined {
  if (!/^[\w-]+$/.test(token)) return undefined
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  const parsed = wireSchema.safeParse(json)
  if (!parsed.success) return undefined
  const [afterSeq, position, query] = parsed.data
  return { afterSeq, position, query }
}

export interface PageRequest {
  readonly query?: string | undefined
  readonly offset?: number | undefined
  readonly cursor?: string | undefined
}

/** Where a page starts, and whether it is part of a cursor walk (and so gets a next-cursor). */
export interface PageStart {
  /** The start-index: the offset, or how many works the walk has returned before. */
  readonly start: number
  /** For a cursor walk: the seq the page starts after. */
  readonly afterSeq?: number
  readonly byCursor: boolean
}

/** Where a cursor token points, or why it is refused. */
function follow(token: string, query: string | null): Cursor | { refused: string } {
  if (token === '*') return { afterSeq: 0, position: 0, query }
  const cursor = decodeCursor(token)
  if (!cursor) return { refused: 'is not a cursor this service issued; start with cursor=*' }
  if (cursor.query !== query) {
    return { refused: 'was issued for another query; repeat the query of the first page, or start again with cursor=*' }
  }
  return cursor
}

/**
 * Where the requested page starts: at `offset` or where `cursor` points.
 * @throws HttpProblem naming every parameter at fault
 */
export function pageStart({ query, offset, cursor }: PageRequest): PageStart {
  if (cursor === undefined) return { start: offset ?? 0, byCursor: false }
  const errors: InvalidParameter[] = []
  if (offset !== undefined) errors.push({ in: 'query', name: 'offset', detail: 'cannot be combined with cursor' })
  const followed = follow(cursor, query ?? null)
  if ('refused' in followed) errors.push({ in: 'query', name: 'cursor', detail: followed.refused })
  if (errors.length > 0 || 'refused' in followed) throw HttpProblem.invalidParameters(errors)
  return { start: followed.position, afterSeq: followed.afterSeq, byCursor: true }
}

export interface ListedPage {
  readonly total: number
  readonly works: readonly StoredWork[]
  /** The cursor of the page after this one; none when this one is the last. */
  readonly next?: string
}

/** The page of the catalogue or of a search that starts at `start`, with the cursor of the page after it. */
export async function listPage(store: CatalogueStore, query: string | undefined, rows: number, start: PageStart): Promise<ListedPage> {
  // One work more than the page shows tells whether another page follows.
  const page = await store.list({
    query: { text: query },
    rows: rows + 1,
    ...(start.byCursor ? { afterSeq: start.afterSeq } : { offset: start.start }),
  })
  const works = page.works.slice(0, rows)
  const last = works.at(-1)
  if (page.works.length <= rows || last === undefined) return { total: page.total, works }
  return {
    total: page.total,
    works,
    next: encodeCursor({ afterSeq: last.seq, position: start.start + works.length, query: query ?? null }),
  }
}
