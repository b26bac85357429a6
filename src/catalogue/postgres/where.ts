import type { WorkQuery } from '../store.js'
import { searchQuery } from './derive.js'

/** A WorkQuery as a SQL condition on `works` with its parameters, numbered from `$${first}`; null when it matches nothing. */
export function whereClause(query: WorkQuery, first = 1): { readonly sql: string; readonly values: unknown[] } | null {
  const conditions: string[] = []
  const values: unknown[] = []
  const add = (condition: (parameter: string) => string, value: unknown) => {
    values.push(value)
    conditions.push(condition(`$${first + values.length - 1}`))
  }
  if (query.text !== undefined && query.text.trim() !== '') {
    const tsquery = searchQuery(query.text)
    if (tsquery === null) return null
    add((p) => `search @@ ${p}::tsquery`, tsquery)
  }
  if (query.type !== undefined) add((p) => `type = ${p}`, query.type)
  if (query.modifiedFrom !== undefined) add((p) => `modified >= ${p}`, query.modifiedFrom)
  if (query.modifiedUntil !== undefined) add((p) => `modified <= ${p}`, query.modifiedUntil)
  return { sql: conditions.length === 0 ? 'true' : conditions.join(' AND '), values }
}
