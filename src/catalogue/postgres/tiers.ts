import { PHRASE_WEIGHT, rarity, roundScore, type RankedQuery } from '../query/relevance.js'
import { fieldLexeme, FIELD_LETTER, fitsLexeme } from './query-columns.js'
import type { WordCounts } from './score.js'
import { anyOf, lexemesOf, letteredFields } from './where.js'

/** The most distinct words a query is split into tiers for: tiers (and count statements) double with each. */
const MAX_WORDS = 3

/** Works of a result that all have the same score: a tsquery on `fields` that selects them among the matches. */
export interface Tier {
  readonly score: number
  /** Any of its alternatives puts a work in the tier (equal scores of different kinds share one). */
  readonly tsquery: string
  /** Whether the tsquery names no word a work must have, so that the index cannot find its works. */
  readonly negative: boolean
}

const subsets = <T>(items: readonly T[]): T[][] =>
  items.reduce<T[][]>((sets, item) => [...sets, ...sets.map((set) => [...set, item])], [[]])

/**
 * The result of an every-word `query` alone split into tiers of equal score, best first, when that is
 * cheap: a work's score depends only on which of its words are in the title or names (else they are in
 * the abstract) and which pairs of them stand side by side in the title, all of which the GIN index
 * of `fields` tells without reading the works. Then a page needs no score computed for every match:
 * it is the first works, by seq, of the first tiers. Undefined for other queries.
 */
export function tiersOf(ranked: readonly RankedQuery[], words: WordCounts): Tier[] | undefined {
  const [query] = ranked
  if (ranked.length !== 1 || query === undefined || !query.every) return undefined
  const distinct = [...new Set(query.words)]
  if (distinct.length > MAX_WORDS || distinct.some((word) => !words.counts.get(word) || !fitsLexeme(fieldLexeme('t', word))))
    return undefined
  const rarityOf = (word: string) => rarity(words.works, words.counts.get(word) ?? 0)
  const heavy = letteredFields(query)
  const weightOf = (field: (typeof heavy)[number]) => query.weights[field] ?? 0
  const heavyWeight = Math.max(...heavy.map(weightOf))
  // Every field of `fields` the query searches weighs the same; the abstract weighs less.
  if (heavy.some((field) => weightOf(field) !== heavyWeight)) return undefined
  const inHeavy = (word: string) => `(${anyOf(lexemesOf(word, heavy)) ?? ''})`
  const pairs: [string, string][] = []
  for (let index = 1; index < query.words.length; index++) {
    const pair: [string, string] = [query.words[index - 1] as string, query.words[index] as string]
    if (!pairs.some(([first, second]) => first === pair[0] && second === pair[1])) pairs.push(pair)
  }
  const phrase = ([first, second]: [string, string]) =>
    `'${fieldLexeme(FIELD_LETTER.title, first)}' <-> '${fieldLexeme(FIELD_LETTER.title, second)}'`
  const byScore = new Map<number, { alternatives: string[]; negative: boolean }>()
  for (const heavyWords of subsets(distinct)) {
    const possible = pairs.filter((pair) => pair.every((word) => heavyWords.includes(word)))
    for (const together of subsets(possible)) {
      let score = 0
      for (const word of distinct) score += rarityOf(word) * (heavyWords.includes(word) ? heavyWeight : (query.weights.abstract ?? 0))
      for (const [first, second] of together) score += (PHRASE_WEIGHT * (rarityOf(first) + rarityOf(second))) / 2
      const parts = [
        ...distinct.map((word) => (heavyWords.includes(word) ? inHeavy(word) : `!${inHeavy(word)}`)),
        ...possible.map((pair) => (together.includes(pair) ? `(${phrase(pair)})` : `!(${phrase(pair)})`)),
      ]
      const rounded = roundScore(score)
      const tier = byScore.get(rounded) ?? { alternatives: [], negative: false }
      tier.alternatives.push(`(${parts.join(' & ')})`)
      tier.negative ||= heavyWords.length === 0
      byScore.set(rounded, tier)
    }
  }
  return [...byScore]
    .sort(([a], [b]) => b - a)
    .map(([score, { alternatives, negative }]) => ({ score, tsquery: alternatives.join(' | '), negative }))
}
