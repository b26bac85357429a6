import { NONE, type FactColumns } from './columns.js'
import type { FacetName, FacetRequest, Facets } from './types.js'

/** The most frequent values first, ties by value, at most `limit` of them, in Crossref's shape. */
export function facetOf(counts: Iterable<readonly [string, number]>, limit: number): Facets[string] {
  const top = [...counts].sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit)
  return { 'value-count': top.length, values: Object.fromEntries(top) }
}

/** The coded column a facet counts, and the value of each code. */
function facetColumn(columns: FactColumns, name: FacetName): { codes: Int32Array | Uint16Array; values: readonly string[] } {
  switch (name) {
    case 'type-name':
      return { codes: columns.type, values: columns.types.values }
    case 'container-title':
      return { codes: columns.container, values: columns.containerNames }
    case 'language':
      return { codes: columns.language, values: columns.languages.values }
    case 'published':
      return { codes: columns.year, values: columns.years.values }
  }
}

/** The facets asked for, counted over every record of the result. */
export function countFacets(columns: FactColumns, result: Int32Array, requests: readonly FacetRequest[]): Facets {
  const facets: Facets = {}
  for (const { name, limit } of requests) {
    const { codes, values } = facetColumn(columns, name)
    const counts = new Int32Array(values.length)
    for (const position of result) {
      const code = codes[position] as number
      if (code !== NONE) counts[code] = (counts[code] as number) + 1
    }
    const present = values.flatMap((value, code) => ((counts[code] as number) > 0 ? [[value, counts[code] as number] as const] : []))
    facets[name] = facetOf(present, limit)
  }
  return facets
}
