import type { RankedQuery } from '../query/relevance.js'
import type { SortPosition, WorkSort } from '../query/types.js'
import type { ListRequest } from '../store.js'
import { WORK_COLUMNS } from './rows.js'
import { scoreExpression, type WordCounts } from './score.js'
import { Parameters } from './where.js'

export interface Statement {
  readonly sql: string
  readonly values: unknown[]
}

/** The sort key's column, as compared and as a page reports it (see SortKey). */
function sortColumn(sort: WorkSort): {
  readonly compared: string
  readonly reported: string
  readonly cast: (parameter: string) => string
} {
  switch (sort.by) {
    case 'relevance':
      return { compared: 'score', reported: 'score', cast: (p) => `${p}::float8` }
    case 'published':
      return { compared: 'published', reported: 'published', cast: (p) => `${p}::integer` }
    case 'updated':
      // Milliseconds since the epoch, as JavaScript dates count them; exact, as `modified` keeps milliseconds.
      return {
        compared: 'modified',
        reported: `(extract(epoch FROM modified) * 1000)::float8`,
        cast: (p) => `(timestamptz 'epoch' + ${p}::float8 * interval '1 millisecond')`,
      }
    case 'title':
      return { compared: 'title_key', reported: 'title_key', cast: (p) => `${p}::text COLLATE "C"` }
  }
}

/** Works after the position in the order: ties go by seq, ascending in either direction. */
function afterPosition(sort: WorkSort, after: SortPosition, parameters: Parameters): string {
  const { compared, cast } = sortColumn(sort)
  const key = cast(parameters.add(after.key))
  const seq = parameters.add(after.seq)
  return `(${compared} ${sort.order === 'asc' ? '>' : '<'} ${key} OR (${compared} = ${key} AND seq > ${seq}))`
}

/**
 * The statement of one page of a list: its works with their scores (when ranked) and sort keys, in
 * the order asked for, ties by seq. Scores are computed for every match only when they order the
 * list; otherwise for the page's rows alone.
 */
export function pageStatement(
  request: ListRequest,
  where: (parameters: Parameters) => string,
  ranked: readonly RankedQuery[],
  words: WordCounts,
  sort: WorkSort | null,
): Statement {
  const parameters = new Parameters()
  const condition = where(parameters)
  const score = () => (ranked.length === 0 ? 'NULL::float8' : scoreExpression(request.query, ranked, words, parameters))
  const afterSeq = request.after?.seq ?? request.afterSeq
  const offset = request.offset ?? 0
  if (sort === null) {
    const start = afterSeq === undefined ? '' : ` AND seq > ${parameters.add(afterSeq)}`
    const page = `SELECT * FROM works WHERE ${condition}${start} ORDER BY seq OFFSET ${parameters.add(offset)} LIMIT ${parameters.add(request.rows)}`
    return {
      sql: `SELECT ${WORK_COLUMNS}, ${score()} AS score, NULL AS sort_key FROM (${page}) AS page ORDER BY seq`,
      values: parameters.values,
    }
  }
  const { compared, reported } = sortColumn(sort)
  const direction = sort.order === 'asc' ? 'ASC' : 'DESC'
  const order = `ORDER BY ${compared} ${direction}, seq`
  if (sort.by === 'relevance') {
    const scored = `SELECT works.*, ${score()} AS score FROM works WHERE ${condition}`
    const start = request.after === undefined ? 'true' : afterPosition(sort, request.after, parameters)
    return {
      sql: `SELECT ${WORK_COLUMNS}, score, score AS sort_key FROM (${scored}) AS scored WHERE ${start}
        ${order} OFFSET ${parameters.add(offset)} LIMIT ${parameters.add(request.rows)}`,
      values: parameters.values,
    }
  }
  const start = request.after === undefined ? '' : ` AND ${afterPosition(sort, request.after, parameters)}`
  const page = `SELECT * FROM works WHERE ${condition}${start} ${order} OFFSET ${parameters.add(offset)} LIMIT ${parameters.add(request.rows)}`
  return {
    sql: `SELECT ${WORK_COLUMNS}, ${score()} AS score, ${reported} AS sort_key FROM (${page}) AS page ${order}`,
    values: parameters.values,
  }
}
