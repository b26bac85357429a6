import { NO_DAY } from '../query/facts.js'
import { doiInText, rankedQueries, type RankedQuery } from '../query/relevance.js'
import { normalizeDoi } from '../doi.js'
import { tokenize } from '../search-index.js'
import type { WorkQuery } from '../store.js'
import { searchQuery } from './derive.js'
import { fieldLexeme, FIELD_LETTER, quotedLexemes } from './query-columns.js'

/** A statement's parameters, numbered as they are added. */
export class Parameters {
  readonly values: unknown[] = []

  /** The placeholder of a new parameter with this value. */
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

type LetteredField = keyof typeof FIELD_LETTER

/**
 * A text array parameter compared bytewise, as the columns of types, container titles and languages
 * are: a comparison in another collation could not use their indexes.
 */
export const C = (parameter: string) => `(${parameter}::text[]) COLLATE "C"`

const isLettered = (field: string): field is LetteredField => field in FIELD_LETTER

/** A tsquery literal of any of the lexemes; undefined when none can be indexed. */
export function anyOf(lexemes: readonly string[]): string | undefined {
  const quoted = quotedLexemes(new Set(lexemes))
  return quoted.length === 0 ? undefined : quoted.join(' | ')
}

/** The lexemes of the word in each of the fields. */
export const lexemesOf = (word: string, fields: readonly LetteredField[]) => fields.map((field) => fieldLexeme(FIELD_LETTER[field], word))

/** The fields a ranked query searches in the `fields` column (those it weighs above nothing). */
export const letteredFields = (ranked: RankedQuery): LetteredField[] =>
  Object.entries(ranked.weights).flatMap(([field, weight]) => (weight > 0 && isLettered(field) ? [field] : []))

/** The DOI a `query.bibliographic` names, normalised, if any. */
export const bibliographicDoi = (query: WorkQuery) => {
  const text = query.fields?.bibliographic
  const doi = text === undefined ? undefined : doiInText(text)
  return doi === undefined ? undefined : normalizeDoi(doi)
}

/** The queries of the request with words, and whether some query was given without any word (then nothing matches). */
export function queriesOf(query: WorkQuery): { readonly ranked: RankedQuery[]; readonly empty: boolean } {
  const ranked = rankedQueries(query.text, query.fields, tokenize)
  const given = [query.text, ...Object.values(query.fields ?? {})].filter((text) => text !== undefined && text.trim() !== '')
  return { ranked, empty: given.length > ranked.length }
}

/** Adds to `conditions` the condition on a new parameter with the value. */
const adder = (conditions: string[], parameters: Parameters) => (condition: (parameter: string) => string, value: unknown) =>
  conditions.push(condition(parameters.add(value)))

/**
 * The conditions of the query's type and of its filters on columns that `works` and `work_facet_counts`
 * both have, under the same names (type, container_key, language, has_abstract).
 */
export function countedFilterConditions(query: WorkQuery, parameters: Parameters): string[] {
  const conditions: string[] = []
  const add = adder(conditions, parameters)
  if (query.type !== undefined) add((p) => `type = ${p}::text COLLATE "C"`, query.type)
  const filters = query.filters ?? {}
  if (filters.type !== undefined) add((p) => `type = ANY(${C(p)})`, filters.type)
  if (filters.hasAbstract !== undefined) add((p) => `has_abstract = ${p}`, filters.hasAbstract)
  if (filters.containerTitle !== undefined) add((p) => `container_key = ANY(${C(p)})`, filters.containerTitle)
  if (filters.language !== undefined) {
    // A language asked for also takes its regional variants: en takes en-gb.
    add(
      (p) => `(language = ANY(${C(p)}) OR EXISTS (SELECT FROM unnest(${C(p)}) AS wanted WHERE starts_with(language, wanted || '-')))`,
      filters.language,
    )
  }
  return conditions
}

/**
 * A WorkQuery as a SQL condition on `works`, with its parameters added to `parameters`, as the file
 * store's query engine selects (every word of `query`, any word of each field query, every filter);
 * null when it matches nothing.
 */
export function whereCondition(query: WorkQuery, parameters: Parameters): string | null {
  const conditions: string[] = []
  const { ranked, empty } = queriesOf(query)
  if (empty) return null
  for (const each of ranked) {
    if (each.every) {
      const tsquery = searchQuery(each.words.join(' '))
      if (tsquery === null) return null
      conditions.push(`search @@ ${parameters.add(tsquery)}::tsquery`)
      continue
    }
    const words = anyOf([...new Set(each.words)].flatMap((word) => lexemesOf(word, letteredFields(each))))
    const doi = each.name === 'bibliographic' ? bibliographicDoi(query) : undefined
    const either = [
      ...(words === undefined ? [] : [`fields @@ ${parameters.add(words)}::tsquery`]),
      ...(doi === undefined ? [] : [`doi = ${parameters.add(doi)}`]),
    ]
    if (either.length === 0) return null
    conditions.push(either.length === 1 ? (either[0] as string) : `(${either.join(' OR ')})`)
  }
  const add = adder(conditions, parameters)
  conditions.push(...countedFilterConditions(query, parameters))
  const filters = query.filters ?? {}
  if (filters.fromPublished !== undefined) add((p) => `published >= ${p}`, filters.fromPublished)
  if (filters.untilPublished !== undefined) add((p) => `published <= ${p} AND published <> ${NO_DAY}`, filters.untilPublished)
  if (filters.hasDoi !== undefined) conditions.push(filters.hasDoi ? 'doi IS NOT NULL' : 'doi IS NULL')
  if (filters.doi !== undefined) add((p) => `doi = ANY(${p}::text[])`, filters.doi)
  if (filters.prefix !== undefined) add((p) => `prefix = ANY(${p}::text[])`, filters.prefix)
  if (filters.issn !== undefined) add((p) => `issns && ${p}::text[]`, filters.issn)
  if (filters.isbn !== undefined) add((p) => `isbns && ${p}::text[]`, filters.isbn)
  for (const [bound, operator] of [
    [query.modifiedFrom, '>='],
    [query.modifiedUntil, '<='],
    [filters.fromUpdated, '>='],
    [filters.untilUpdated, '<='],
  ] as const) {
    if (bound !== undefined) add((p) => `modified ${operator} ${p}`, bound)
  }
  return conditions.length === 0 ? 'true' : conditions.join(' AND ')
}

/** A WorkQuery as a SQL condition on `works` with its parameters, numbered from $1; null when it matches nothing. */
export function whereClause(query: WorkQuery): { readonly sql: string; readonly values: unknown[] } | null {
  const parameters = new Parameters()
  const sql = whereCondition(query, parameters)
  return sql === null ? null : { sql, values: parameters.values }
}
