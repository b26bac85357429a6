import type { FacetRequest, WorkSort } from '../query/types.js'
import { UnsupportedQueryError, type WorkQuery } from '../store.js'

/**
 * Refuses what this store cannot answer yet: field queries, filters, sort orders other than
 * catalogue order and facets. Relevance is answered in catalogue order, as without words.
 * @throws UnsupportedQueryError naming each parameter
 */
export function refuseUnsupported(query: WorkQuery, sort?: WorkSort, facets?: readonly FacetRequest[]): void {
  const parameters = [
    ...Object.entries(query.fields ?? {})
      .filter(([, text]) => text !== undefined && text.trim() !== '')
      .map(([name]) => `query.${name}`),
    ...(query.filters !== undefined && Object.keys(query.filters).length > 0 ? ['filter'] : []),
    ...(sort !== undefined && sort.by !== 'relevance' ? ['sort'] : []),
    ...(facets !== undefined && facets.length > 0 ? ['facet'] : []),
  ]
  if (parameters.length > 0) throw new UnsupportedQueryError(parameters)
}
