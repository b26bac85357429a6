import { z } from 'zod'
import type { Catalogue } from '../catalogue/catalogue.js'
import { HttpProblem, type InvalidParameter } from '../http/problem.js'

/** Where the next page of a cursor walk starts, and what the walk is over. */
interface Cursor {
  /** Position in the search result (or the catalogue) of the next page's first work. */
  readonly position: number
  /** The search the walk is over, which every page must repeat. */
  readonly query: string | null
  /** The catalogue the positions refer to, as its modification time in milliseconds. */
  readonly catalogue: number
}

// Compact on the wire: [position, query, catalogue].
const wireSchema = z.tuple([z.number().int().min(0), z.string().nullable(), z.number().int()])

/** An opaque token: base64url of the position, the query and the catalogue's version. */
function encodeCursor({ position, query, catalogue }: Cursor): string {
  return Buffer.from(JSON.stringify([position, query, catalogue])).toString('base64url')
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
  const [position, query, catalogue] = parsed.data
  return { position, query, catalogue }
}

export interface PageRequest {
  readonly query?: string | undefined
  readonly offset?: number | undefined
  readonly cursor?: string | undefined
}

/** Where a page starts, and whether it is part of a cursor walk (and so gets a next-cursor). */
export interface PageStart {
  readonly start: number
  readonly byCursor: boolean
}

/** Where a cursor token points, or why it is refused. */
function follow(token: string, query: string | null, catalogue: Catalogue): { position: number } | { refused: string } {
  if (token === '*') return { position: 0 }
  const cursor = decodeCursor(token)
  if (!cursor) return { refused: 'is not a cursor this service issued; start with cursor=*' }
  if (cursor.catalogue !== catalogue.modified.getTime()) {
    return { refused: 'was issued for an earlier version of the catalogue; start again with cursor=*' }
  }
  if (cursor.query !== query) {
    return { refused: 'was issued for another query; repeat the query of the first page, or start again with cursor=*' }
  }
  return { position: cursor.position }
}

/**
 * Where the requested page starts: at `offset` or where `cursor` points.
 * @throws HttpProblem naming every parameter at fault
 */
export function pageStart({ query, offset, cursor }: PageRequest, catalogue: Catalogue): PageStart {
  if (cursor === undefined) return { start: offset ?? 0, byCursor: false }
  const errors: InvalidParameter[] = []
  if (offset !== undefined) errors.push({ in: 'query', name: 'offset', detail: 'cannot be combined with cursor' })
  const followed = follow(cursor, query ?? null, catalogue)
  if ('refused' in followed) errors.push({ in: 'query', name: 'cursor', detail: followed.refused })
  if (errors.length > 0 || !('position' in followed)) throw HttpProblem.invalidParameters(errors)
  return { start: followed.position, byCursor: true }
}

/** The cursor of the page after the one at `start`, or undefined when that page was the last. */
export function nextCursor(
  start: number,
  returned: number,
  total: number,
  query: string | undefined,
  catalogue: Catalogue,
): string | undefined {
  const position = start + returned
  if (returned === 0 || position >= total) return undefined
  return encodeCursor({ position, query: query ?? null, catalogue: catalogue.modified.getTime() })
}
