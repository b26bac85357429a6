import { facetOf } from '../query/facet-counts.js'
import type { FacetName, FacetRequest, Facets } from '../query/types.js'
import type { Statement } from './list-sql.js'
import { C, Parameters } from './where.js'

/**
 * What the result's works are counted from: a table, what each facet counts in it (works where that is
 * null are not counted), how its rows add up, and the condition selecting the result's rows.
 */
export interface Counted {
  readonly table: string
  readonly columns: Readonly<Record<FacetName, string>>
  readonly count: string
  readonly where: (parameters: Parameters) => string
}

/** The works themselves, each counted once: every query can be counted so. */
export const countedWorks = (where: (parameters: Parameters) => string): Counted => ({
  table: 'works',
  // published_year (migrations/) is the year work_facet_counts counts too.
  columns: { 'type-name': 'type', published: 'published_year(published)', 'container-title': 'container_key', language: 'language' },
  count: 'count(*)',
  where,
})

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
export function facetStatement(requests: readonly FacetRequest[], counted: Counted): Statement {
  const parameters = new Parameters()
  const names = [...new Set(requests.map((request) => request.name))]
  const columns = names.map((name, index) => `${counted.columns[name]} AS f${index}`)
  const sets = ['()', ...names.map((_, index) => `(f${index})`)].join(', ')
  const which = names.map((name, index) => `WHEN grouping(f${index}) = 0 THEN ${parameters.add(name)}`)
  const facet = names.length === 0 ? 'NULL' : `CASE ${which.join(' ')} END`
  // Values become text once counted, not for every work.
  const value =
    names.length === 0
      ? 'NULL'
      : `COALESCE(${names.map((_, index) => `CASE WHEN grouping(f${index}) = 0 THEN f${index}::text COLLATE "C" END`).join(', ')})`
  const condition = counted.where(parameters)
  return {
    sql: `SELECT ${facet} AS facet, ${value} AS value, COALESCE(${counted.count}, 0)::bigint AS count
            FROM (SELECT ${['NULL AS none', ...columns].join(', ')}, * FROM ${counted.table} WHERE ${condition}) AS result
           GROUP BY GROUPING SETS (${sets})`,
    values: parameters.values,
  }
}

/** The statement that counts the works of the result. */
export function countStatement(counted: Counted): Statement {
  const parameters = new Parameters()
  return {
    sql: `SELECT COALESCE(${counted.count}, 0)::bigint AS count FROM ${counted.table} WHERE ${counted.where(parameters)}`,
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
