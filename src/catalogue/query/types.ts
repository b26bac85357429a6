// The parts of a query beyond "every word": Crossref's field queries, filters, sort orders and facets,
// as both stores take them. The route layer parses Crossref's parameters into these.

/** Crossref's field queries, each `query.<name>`: any of its words, in the fields it names, ranked. */
export const FIELD_QUERY_NAMES = ['bibliographic', 'author', 'editor', 'container-title', 'title'] as const
export type FieldQueryName = (typeof FIELD_QUERY_NAMES)[number]
export type FieldQueries = { readonly [F in FieldQueryName]?: string | undefined }

/**
 * Crossref's filters, parsed. A list is any of its values; dates are day keys (see `dayKey`), bounds
 * included; every filter given narrows the result.
 */
export interface WorkFilters {
  readonly type?: readonly string[] | undefined
  readonly fromPublished?: number | undefined
  readonly untilPublished?: number | undefined
  readonly hasAbstract?: boolean | undefined
  readonly hasDoi?: boolean | undefined
  /** Normalised DOIs (see normalizeDoi). */
  readonly doi?: readonly string[] | undefined
  /** DOI prefixes, lower case, such as 10.5555. */
  readonly prefix?: readonly string[] | undefined
  /** ISSNs as NNNN-NNNN, upper case. */
  readonly issn?: readonly string[] | undefined
  /** ISBNs as their digits and X, upper case. */
  readonly isbn?: readonly string[] | undefined
  /** Container titles, folded as `foldedKey` folds them. */
  readonly containerTitle?: readonly string[] | undefined
  /** Language tags in lower case: `en` also takes `en-GB`. */
  readonly language?: readonly string[] | undefined
  readonly fromUpdated?: Date | undefined
  readonly untilUpdated?: Date | undefined
}

export const SORT_FIELDS = ['relevance', 'published', 'updated', 'title'] as const
type SortField = (typeof SORT_FIELDS)[number]
type SortOrder = 'asc' | 'desc'

export interface WorkSort {
  readonly by: SortField
  readonly order: SortOrder
}

/**
 * Where a sorted walk stands: the sort key and seq of the last work seen. The next page holds the
 * works after it in the order (ties broken by seq, ascending, whatever the order), so a walk neither
 * skips nor repeats a work that stays as it was.
 */
export interface SortPosition {
  readonly key: SortKey
  readonly seq: number
}

/** The score, the day key, the time of change in milliseconds, or the folded title; null in catalogue order. */
export type SortKey = number | string | null

export const FACET_NAMES = ['type-name', 'published', 'container-title', 'language'] as const
export type FacetName = (typeof FACET_NAMES)[number]

/** The most values a facet returns, also for `*`, as at Crossref. */
export const MAX_FACET_VALUES = 1000

export interface FacetRequest {
  readonly name: FacetName
  /** How many values at most, the most frequent first (ties by value). */
  readonly limit: number
}

/** Crossref's `message.facets`: for each facet, its values with their counts over the whole result. */
export type Facets = Record<string, { readonly 'value-count': number; readonly values: Record<string, number> }>

/** The order a list is in: catalogue order (null) unless sorted, and for relevance without words to rank by. */
export function effectiveSort(sort: WorkSort | undefined, ranked: boolean): WorkSort | null {
  if (sort === undefined || (sort.by === 'relevance' && !ranked)) return null
  return sort
}
