import { dayKey, yearOf } from '../query/facts.js'
import type { WorkFilters } from '../query/types.js'
import type { WorkQuery } from '../store.js'
import type { Counted } from './facets.js'
import { countedFilterConditions, type Parameters, queriesOf } from './where.js'

/** A date bound the counts hold exactly: the first day of a year, or the last. */
const yearBound = (day: number | undefined, month: number, dayOfMonth: number) =>
  day === undefined || day === dayKey(yearOf(day), month, dayOfMonth)

/** Whether every filter given is one work_facet_counts answers exactly. */
function countable(filters: WorkFilters): boolean {
  // Whatever is not named here (and any filter added later) must be absent.
  const { type, hasAbstract, hasDoi, containerTitle, language, fromPublished, untilPublished, ...others } = filters
  return Object.values(others).every((value) => value === undefined) && yearBound(fromPublished, 1, 1) && yearBound(untilPublished, 12, 31)
}

/**
 * The works of a query counted from work_facet_counts (migrations/), when its rows answer the query
 * exactly: no words to search, and only filters on what they hold, dates on year boundaries. Summing a
 * few rows costs far less than counting every work of a large result.
 */
export function countedFromSummary(query: WorkQuery): Counted | undefined {
  const { type, filters = {}, text, fields, ...rest } = query
  if (queriesOf(query).ranked.length > 0 || Object.values(rest).some((value) => value !== undefined) || !countable(filters)) {
    return undefined
  }
  return {
    table: 'work_facet_counts',
    columns: { 'type-name': 'type', published: 'year', 'container-title': 'container_key', language: 'language' },
    count: 'sum(works)',
    where: (parameters: Parameters) => {
      const conditions = countedFilterConditions(query, parameters)
      // Works without a date have no year, so neither bound takes them, as on `works`.
      if (filters.fromPublished !== undefined) conditions.push(`year >= ${parameters.add(yearOf(filters.fromPublished))}`)
      if (filters.untilPublished !== undefined) conditions.push(`year <= ${parameters.add(yearOf(filters.untilPublished))}`)
      if (filters.hasDoi !== undefined) conditions.push(`has_doi = ${parameters.add(filters.hasDoi)}`)
      return conditions.length === 0 ? 'true' : conditions.join(' AND ')
    },
  }
}
