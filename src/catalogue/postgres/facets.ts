import { NO_DAY } from '../query/facts.js'
import { facetOf } from '../query/facet-counts.js'
import type { FacetName, FacetRequest, Facets } from '../query/types.js'
import type { Statement } from './list-sql.js'
import { C, Parameters } from './where.js'

/** What each facet counts, as a column of `works`; works where it is null are not counted. */
const FACET_COLUMNS: Readonly<Record<FacetName, string>> = {
  'type-name': 'type',
  // The year of the issued date, rounded down (years before the common era are negative), in integers:
  // this runs for every work of the result.
  published: `CASE WHEN published >= 0 THEN published / 10000 WHEN published <> ${NO_DAY} THEN (published - 9999) / 10000 END`,
  'container-title': 'container_key',
  language: 'language',
}

export interface FacetRow {
  /** Null in the row that counts the whole result. */
  readonly facet: FacetName | null
  readonly value: string | null
  readonly count: string
}

/**
 * The statement that counts every value of each facet asked for over the whole result, and the
 * result itself (the row whose facet is null), in one pass.
 */
export function facetStatement(requests: readonly FacetRequest[], where: (parameters: Parameters) => string): Statement {
  const parameters = new Parameters()
  const names = [...new Set(requests.map((request) => request.name))]
  const columns = names.map((name, index) => `${FACET_COLUMNS[name]} AS f${index}`)
  const sets = ['()', ...names.map((_, index) => `(f${index})`)].join(', ')
  const which = names.map((name, index) => `WHEN grouping(f${index}) = 0 THEN ${parameters.add(name)}`)
  const facet = names.length === 0 ? 'NULL' : `CASE ${which.join(' ')} END`
  // Values become text once counted, not for every work.
  const value =
    names.length === 0
      ? 'NULL'
      : `COALESCE(${names.map((_, index) => `CASE WHEN grouping(f${index}) = 0 THEN f${index}::text COLLATE "C" END`).join(', ')})`
  const condition = where(parameters)
  return {
    sql: `SELECT ${facet} AS facet, ${value} AS value, count(*) AS count
            FROM (SELECT ${['NULL AS none', ...columns].join(', ')} FROM works WHERE ${condition}) AS result
           GROUP BY GROUPING SETS (${sets})`,
    values: parameters.values,
  }
}

/**
 * The statement of the title first written for each folded container title: what the facet shows.
 * The titles are those of the counted works, so a walk in seq order meets each soon.
 */
export const containerNamesStatement = (keys: readonly string[]): Statement => ({
  sql: `SELECT wanted AS key, (SELECT container_title FROM works WHERE container_key = wanted ORDER BY seq LIMIT 1) AS name
          FROM unnest(${C('$1')}) AS wanted`,
  values: [keys],
})

/** The number of works in the result, from the counted rows. */
export const totalOf = (rows: readonly FacetRow[]) => Number(rows.find((row) => row.facet === null)?.count ?? 0)

/** The facets in Crossref's shape, as the file store gives them, from the counted rows. */
export function facetsOf(requests: readonly FacetRequest[], rows: readonly FacetRow[], names: ReadonlyMap<string, string>): Facets {
  const facets: Facets = {}
  for (const { name, limit } of requests) {
    const counts = rows.flatMap((row) => {
      if (row.facet !== name || row.value === null) return []
      const value = name === 'container-title' ? names.get(row.value) : row.value
      return value === undefined ? [] : [[value, Number(row.count)] as const]
    })
    facets[name] = facetOf(counts, limit)
  }
  return facets
}
