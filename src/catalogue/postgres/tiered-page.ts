import type pg from 'pg'
import type { ListRequest } from '../store.js'
import type { Statement } from './list-sql.js'
import { WORK_COLUMNS, type WorkRow } from './rows.js'
import type { Tier } from './tiers.js'
import { Parameters } from './where.js'

type Select = <T extends pg.QueryResultRow>(statement: Statement) => Promise<T[]>

/** How a page reads: its rows, and its counts (which the store may keep while the catalogue stays the same). */
interface Reads {
  readonly select: Select
  readonly count: Select
}

export interface TieredPage {
  readonly total: number
  readonly rows: readonly (WorkRow & { readonly score: number })[]
}

/**
 * A page of a list by relevance whose result splits into tiers of equal score (see tiersOf): the
 * tiers' sizes from the index, then the first works by seq of each tier in turn, until the page is
 * full. Where a tier is large, walking the seq index finds its first works soonest; where it is
 * small, collecting it and taking the first is quicker, so the size chooses the plan.
 */
export async function tieredPage(
  request: ListRequest,
  tiers: readonly Tier[],
  where: (parameters: Parameters) => string,
  works: number,
  { select, count }: Reads,
): Promise<TieredPage> {
  const ascending = request.sort?.order === 'asc'
  const ordered = ascending ? [...tiers].reverse() : tiers
  const wanted = (request.offset ?? 0) + request.rows
  // Past this size a tier is walked in seq order rather than collected; a count beyond it, which
  // visits every work counted, is needed only to skip the whole tier for an offset.
  const walkable = Math.ceil(Math.sqrt(works * wanted))
  const counting = (parameters: Parameters, tsquery: string | undefined, limit?: number) => {
    const condition = where(parameters)
    const inTier = tsquery === undefined ? '' : ` AND fields @@ ${parameters.add(tsquery)}::tsquery`
    const bounded = limit === undefined ? '' : ` LIMIT ${parameters.add(limit)}`
    return `(SELECT count(*) FROM (SELECT FROM works WHERE ${condition}${inTier}${bounded}) AS counted)`
  }
  const cap = Math.max(walkable, request.offset ?? 0) + 1
  // One statement for the whole result and every tier, so that a list holds one connection at a time.
  const parameters = new Parameters()
  const counts = [
    counting(parameters, undefined),
    ...ordered.map((tier) => (tier.negative ? 'NULL' : counting(parameters, tier.tsquery, cap))),
  ]
  const [row] = await count<{ counts: (string | null)[] }>({
    sql: `SELECT ARRAY[${counts.join(', ')}]::bigint[] AS counts`,
    values: parameters.values,
  })
  const [total = 0, ...bounded] = (row?.counts ?? []).map((count) => (count === null ? undefined : Number(count)))
  // The tier the index cannot count holds the matches no other tier holds; a tier at the cap is
  // counted in full only if an offset needs it.
  const sizes: (number | undefined)[] = []
  for (const [index, tier] of ordered.entries()) {
    const size = bounded[index]
    if (size !== cap || (request.offset ?? 0) === 0) {
      sizes.push(size)
      continue
    }
    const whole = new Parameters()
    const [counted] = await count<{ count: string }>({ sql: `SELECT ${counting(whole, tier.tsquery)} AS count`, values: whole.values })
    sizes.push(Number(counted?.count ?? 0))
  }
  const counted = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0)
  const sizeOf = (index: number) => sizes[index] ?? total - counted
  const after = request.after
  const afterKey = after === undefined ? undefined : Number(after.key)
  let skip = request.offset ?? 0
  const rows: (WorkRow & { score: number })[] = []
  for (const [index, tier] of ordered.entries()) {
    if (rows.length >= request.rows) break
    const size = sizeOf(index)
    if (size === 0) continue
    if (afterKey !== undefined && (ascending ? tier.score < afterKey : tier.score > afterKey)) continue
    const fromSeq = afterKey === tier.score ? after?.seq : undefined
    if (fromSeq === undefined && skip >= size) {
      skip -= size
      continue
    }
    const missing = request.rows - rows.length
    const page = await tierRows({ tier, size, works, walkable, fromSeq, skip, missing }, where, select)
    rows.push(...page.map((row) => ({ ...row, score: tier.score })))
    // With a cursor in this tier, the works skipped are not known; an offset is not combined with one.
    skip = 0
  }
  return { total, rows }
}

/** A walk may read this many times the works it expects to read before its page is full. */
const WALK_MARGIN = 4

interface TierSlice {
  readonly tier: Tier
  /** Works in the tier (or at least, when counted up to a cap). */
  readonly size: number
  readonly works: number
  /** The tier size from which walking is quicker than collecting. */
  readonly walkable: number
  readonly fromSeq: number | undefined
  readonly skip: number
  readonly missing: number
}

/**
 * The works of a tier after `fromSeq`, in seq order, `skip` of them passed over and at most `missing`
 * returned. Walking the seq index reads about works / size works per one found; collecting reads size.
 * So a large tier is walked, within a budget of works that a walk through an even tier stays far
 * below, and collected only if the budget runs out first. The walk's budget is a LIMIT on the
 * subquery that reads the seq index: it keeps the planner, which cannot tell how many works a tier
 * holds, from collecting a large tier from the text index, and has it plan for a few works, not all.
 */
async function tierRows(slice: TierSlice, where: (parameters: Parameters) => string, select: Select): Promise<WorkRow[]> {
  const { tier, size, works, walkable, fromSeq, skip, missing } = slice
  const statement = (budget?: number): Statement => {
    const parameters = new Parameters()
    const inTier = `${where(parameters)} AND fields @@ ${parameters.add(tier.tsquery)}::tsquery`
    const pastCursor = fromSeq === undefined ? undefined : `seq > ${parameters.add(fromSeq)}`
    const inOrder =
      budget === undefined
        ? `SELECT ${WORK_COLUMNS} FROM works WHERE ${inTier}${pastCursor === undefined ? '' : ` AND ${pastCursor}`} ORDER BY seq + 0`
        : `SELECT ${WORK_COLUMNS} FROM (SELECT * FROM works${pastCursor === undefined ? '' : ` WHERE ${pastCursor}`}
              ORDER BY seq LIMIT ${parameters.add(budget)}) AS works
            WHERE ${inTier} ORDER BY seq`
    return { sql: `${inOrder} OFFSET ${parameters.add(skip)} LIMIT ${parameters.add(missing)}`, values: parameters.values }
  }
  if (size >= walkable) {
    const walked = await select<WorkRow>(statement(Math.ceil((WALK_MARGIN * (skip + missing) * works) / size)))
    if (walked.length === missing) return walked
  }
  return select<WorkRow>(statement())
}
