import type { CslItem } from '../schema.js'
import { forEachSearchableText } from '../search-index.js'
import { FIELD, FIELD_MASKS, type FieldBit } from './fields.js'
import type { FieldQueries, FieldQueryName } from './types.js'

/** How much a word found in each field counts, before the word's rarity; fields absent do not match. */
type Weights = Partial<Record<keyof typeof FIELD, number>>

// Title and names above the abstract; in a reference string, title and names above the journal, the
// numbers below both (a volume or page is a weak clue alone, a strong one with the rest).
const TEXT_WEIGHTS: Weights = { title: 3, author: 3, editor: 3, otherNames: 3, abstract: 1 }
const FIELD_QUERY_WEIGHTS: Record<FieldQueryName, Weights> = {
  bibliographic: { title: 3, author: 3, editor: 3, otherNames: 2, container: 2, year: 2, volume: 1.5, issue: 1, page: 1.5 },
  author: { author: 3 },
  editor: { editor: 3 },
  'container-title': { container: 3 },
  title: { title: 3 },
}

/** What an exact DOI in a reference string adds: more than any combination of words. */
export const DOI_BONUS = 100
/** What each pair of the query's words found side by side in the title adds, times the pair's mean rarity. */
export const PHRASE_WEIGHT = 1

/** One query of a request: its words, where to look for them, and whether it needs all of them. */
export interface RankedQuery {
  readonly name: 'query' | FieldQueryName
  readonly words: readonly string[]
  /** Every word must match (`query`), or any (the field queries). */
  readonly every: boolean
  /** How much a word found in each field counts; fields absent do not match. */
  readonly weights: Weights
  /** For each combination of field bits, the weight of the best field in it (0: no field of this query). */
  readonly weightOfMask: Float64Array
  /** Whether words side by side in the title earn the phrase bonus. */
  readonly phrase: boolean
}

function weightTable(weights: Weights): Float64Array {
  const table = new Float64Array(FIELD_MASKS)
  for (let mask = 1; mask < FIELD_MASKS; mask++) {
    let best = 0
    for (const [field, bit] of Object.entries(FIELD) as [keyof typeof FIELD, number][]) {
      if (mask & bit) best = Math.max(best, weights[field] ?? 0)
    }
    table[mask] = best
  }
  return table
}

const TEXT_TABLE = weightTable(TEXT_WEIGHTS)
const FIELD_TABLES = Object.fromEntries(
  Object.entries(FIELD_QUERY_WEIGHTS).map(([name, weights]) => [name, weightTable(weights)]),
) as Record<FieldQueryName, Float64Array>

/** The queries of a request with words in them, `query` first, each with its words tokenised by `tokenize`. */
export function rankedQueries(
  text: string | undefined,
  fields: FieldQueries | undefined,
  tokenize: (text: string) => string[],
): RankedQuery[] {
  const queries: RankedQuery[] = []
  const words = text === undefined ? [] : tokenize(text)
  if (words.length > 0) queries.push({ name: 'query', words, every: true, weights: TEXT_WEIGHTS, weightOfMask: TEXT_TABLE, phrase: true })
  for (const [name, value] of Object.entries(fields ?? {}) as [FieldQueryName, string | undefined][]) {
    const fieldWords = value === undefined ? [] : tokenize(value)
    if (fieldWords.length === 0) continue
    queries.push({
      name,
      words: fieldWords,
      every: false,
      weights: FIELD_QUERY_WEIGHTS[name],
      weightOfMask: FIELD_TABLES[name],
      phrase: FIELD_QUERY_WEIGHTS[name].title !== undefined,
    })
  }
  return queries
}

/** The word's rarity: rarer words tell works apart better. */
export const rarity = (works: number, withWord: number) => Math.log(1 + works / Math.max(1, withWord))

/** Scores are rounded so that both stores, and a cursor carrying one, agree on them. */
export const roundScore = (score: number) => Math.round(score * 1000) / 1000

const DOI_IN_TEXT = /\b10\.\d{4,9}\/\S+/i

/** A DOI written in a reference string, without the punctuation that ends a sentence. */
export function doiInText(text: string): string | undefined {
  return DOI_IN_TEXT.exec(text)?.[0].replace(/[.,;)\]]+$/, '')
}

/** Visits each text of a record that queries search, with the field it belongs to. */
export function forEachFieldText(item: CslItem, visit: (text: string, field: FieldBit) => void): void {
  forEachSearchableText(item, visit)
  for (const container of [item['container-title'], item['container-title-short'], item.journalAbbreviation]) {
    if (container) visit(container, FIELD.container)
  }
  const year = item.issued?.['date-parts']?.[0]?.[0]
  if (year !== undefined) visit(String(year), FIELD.year)
  if (item.volume !== undefined) visit(String(item.volume), FIELD.volume)
  if (item.issue !== undefined) visit(String(item.issue), FIELD.issue)
  if (item.page !== undefined) visit(String(item.page), FIELD.page)
}
