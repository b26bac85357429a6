import { createHash } from 'node:crypto'
import { z } from 'zod'
import { type FacetRequest, type FieldQueries, type SortPosition, type WorkFilters, type WorkSort } from '../catalogue/query/types.js'
import type { CatalogueStore, StoredWork, WorkPage, WorkQuery } from '../catalogue/store.js'
import { HttpProblem, type InvalidParameter } from '../http/problem.js'
import { fieldQueriesOf, type fieldQueryParameters } from './work-list-params.js'

/** The parameters of a work list, parsed: words, field queries, filters, order, facets, and where the page starts. */
export type WorkListParameters = { readonly [K in keyof typeof fieldQueryParameters]?: string | undefined } & {
  readonly query?: string | undefined
  readonly rows: number
  readonly offset?: number | undefined
  readonly cursor?: string | undefined
  readonly filter?: WorkFilters | undefined
  readonly sort?: WorkSort['by'] | undefined
  readonly order?: WorkSort['order'] | undefined
  readonly facet?: readonly FacetRequest[] | undefined
}

/**
 * Where a cursor walk stands: after the last work returned, in the walk's order, by its sort key and
 * seq; works added, changed or removed meanwhile never make a walk skip or repeat a work that stayed.
 */
interface Cursor {
  readonly after: SortPosition
  /** How many works the walk has returned: the next page's start-index. */
  readonly position: number
  /** A digest of the query and order the walk is over, which every page must repeat. */
  readonly over: string
}

// Compact on the wire: [key, seq, position, digest].
const wireSchema = z.tuple([z.union([z.number(), z.string(), z.null()]), z.number().int().min(0), z.number().int().min(0), z.string()])

function encodeCursor({ after, position, over }: Cursor): string {
  return Buffer.from(JSON.stringify([after.key, after.seq, position, over])).toString('base64url')
}

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
  const [key, seq, position, over] = parsed.data
  const cursor = { after: { key, seq }, position, over }
  // Base64 decoding ignores stray trailing characters: only the token this cursor encodes to is it.
  return encodeCursor(cursor) === token ? cursor : undefined
}

/** The query a list is over, and the order it is in. */
export interface ListedQuery {
  readonly query: WorkQuery
  readonly sort: WorkSort | undefined
}

export function listedQuery(parameters: WorkListParameters): ListedQuery {
  const fields: FieldQueries = fieldQueriesOf(parameters)
  const query: WorkQuery = {
    text: parameters.query,
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(parameters.filter === undefined ? {} : { filters: parameters.filter }),
  }
  // As at Crossref: best first when there are words to rank by, unless another order is asked for.
  const hasWords = [query.text, ...Object.values(fields)].some((text) => text !== undefined && text.trim() !== '')
  const by = parameters.sort ?? (hasWords ? 'relevance' : undefined)
  const sort = by === undefined ? undefined : { by, order: parameters.order ?? 'desc' }
  return { query, sort }
}

const digestOf = ({ query, sort }: ListedQuery) =>
  createHash('sha256')
    .update(JSON.stringify([query.text ?? null, query.fields ?? null, query.filters ?? null, sort ?? null]))
    .digest('base64url')
    .slice(0, 16)

/** Where a page starts: the offset, or where a cursor points (after which work, and how many came before). */
export interface ListStart {
  readonly start: number
  readonly after?: SortPosition | undefined
  readonly byCursor: boolean
}

/**
 * Where the requested page starts: at `offset` or where `cursor` points.
 * @throws HttpProblem naming every parameter at fault
 */
export function listStart(parameters: WorkListParameters, listed: ListedQuery): ListStart {
  const { offset, cursor } = parameters
  if (cursor === undefined) return { start: offset ?? 0, byCursor: false }
  const errors: InvalidParameter[] = []
  if (offset !== undefined) errors.push({ in: 'query', name: 'offset', detail: 'cannot be combined with cursor' })
  if (cursor === '*') {
    if (errors.length > 0) throw HttpProblem.invalidParameters(errors)
    return { start: 0, byCursor: true }
  }
  const decoded = decodeCursor(cursor)
  if (decoded === undefined)
    errors.push({ in: 'query', name: 'cursor', detail: 'is not a cursor this service issued; start with cursor=*' })
  else if (decoded.over !== digestOf(listed)) {
    errors.push({
      in: 'query',
      name: 'cursor',
      detail: 'was issued for another query or order; repeat the parameters of the first page, or start again with cursor=*',
    })
  }
  if (errors.length > 0 || decoded === undefined) throw HttpProblem.invalidParameters(errors)
  return { start: decoded.position, after: decoded.after, byCursor: true }
}

export interface ListedPage extends Pick<WorkPage, 'total' | 'scores' | 'facets'> {
  readonly works: readonly StoredWork[]
  /** Whether the works are ranked by relevance (and so have scores). */
  readonly ranked: boolean
  /** The cursor of the page after this one; none when this one is the last. */
  readonly next?: string
}

/** The page that starts at `start`, with the cursor of the page after it. */
export async function listWorks(
  store: CatalogueStore,
  listed: ListedQuery,
  rows: number,
  start: ListStart,
  facets?: readonly FacetRequest[],
): Promise<ListedPage> {
  // One work more than the page shows tells whether another page follows.
  const page = await store.list({
    query: listed.query,
    rows: rows + 1,
    ...(listed.sort === undefined ? {} : { sort: listed.sort }),
    ...(start.byCursor ? { after: start.after } : { offset: start.start }),
    ...(facets === undefined ? {} : { facets }),
  })
  const works = page.works.slice(0, rows)
  const result = {
    total: page.total,
    works,
    ranked: page.scores !== undefined,
    ...(page.scores === undefined ? {} : { scores: page.scores.slice(0, rows) }),
    ...(page.facets === undefined ? {} : { facets: page.facets }),
  }
  const last = works.at(-1)
  if (page.works.length <= rows || last === undefined) return result
  const after = { key: page.keys?.[works.length - 1] ?? null, seq: last.seq }
  return { ...result, next: encodeCursor({ after, position: start.start + works.length, over: digestOf(listed) }) }
}
