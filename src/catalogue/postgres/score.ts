import { DOI_BONUS, PHRASE_WEIGHT, rarity, type RankedQuery } from '../query/relevance.js'
import type { WorkQuery } from '../store.js'
import { fieldLexeme, FIELD_LETTER, fitsLexeme } from './query-columns.js'
import { anyOf, bibliographicDoi, lexemesOf, letteredFields, type Parameters } from './where.js'

/** How many works hold each word in any field (as the file store's postings count them), and how many works there are. */
export interface WordCounts {
  readonly works: number
  readonly counts: ReadonlyMap<string, number>
}

/** Every word a request ranks by, for counting them. */
export const rankedWords = (ranked: readonly RankedQuery[]) => [...new Set(ranked.flatMap((each) => each.words))]

const number = (value: number) => `${value}::float8`

/**
 * The relevance of a matching row as the file store scores it (see MemoryQueryIndex), as a SQL
 * expression on `works`: each word's rarity times the weight of the best field it is found in, a bonus
 * for each pair of the query's words side by side in the title, and one for the DOI of a reference
 * string; rounded as `roundScore` rounds.
 */
export function scoreExpression(query: WorkQuery, ranked: readonly RankedQuery[], words: WordCounts, parameters: Parameters): string {
  const rarityOf = (word: string) => rarity(words.works, words.counts.get(word) ?? 0)
  const terms: string[] = []
  for (const each of ranked) {
    // Fields by weight, the heaviest first: a word counts with the best field it is in.
    const byWeight = new Map<number, string[]>()
    for (const field of letteredFields(each)) {
      const weight = each.weights[field] as number
      byWeight.set(weight, [...(byWeight.get(weight) ?? []), field])
    }
    const groups = [...byWeight].sort(([a], [b]) => b - a)
    for (const word of new Set(each.words)) {
      if (!words.counts.get(word)) continue
      const cases = groups.flatMap(([weight, fields]) => {
        const tsquery = anyOf(lexemesOf(word, fields as (keyof typeof FIELD_LETTER)[]))
        return tsquery === undefined ? [] : [`WHEN fields @@ ${parameters.add(tsquery)}::tsquery THEN ${number(weight)}`]
      })
      // A word of `query` that is in no weighed field of `fields` is in the abstract, since the work matched it.
      const otherwise = each.every ? (each.weights.abstract ?? 0) : 0
      terms.push(`${number(rarityOf(word))} * CASE ${cases.join(' ')} ELSE ${number(otherwise)} END`)
    }
    if (each.phrase) {
      const pairs = new Set<string>()
      for (let index = 1; index < each.words.length; index++) {
        const first = each.words[index - 1] as string
        const second = each.words[index] as string
        if (!words.counts.get(first) || !words.counts.get(second)) continue
        const lexemes = [first, second].map((word) => fieldLexeme(FIELD_LETTER.title, word))
        if (!lexemes.every(fitsLexeme)) continue
        const phrase = lexemes.map((lexeme) => `'${lexeme}'`).join(' <-> ')
        if (pairs.has(phrase)) continue
        pairs.add(phrase)
        const bonus = (PHRASE_WEIGHT * (rarityOf(first) + rarityOf(second))) / 2
        terms.push(`CASE WHEN fields @@ ${parameters.add(phrase)}::tsquery THEN ${number(bonus)} ELSE 0 END`)
      }
    }
    const doi = each.name === 'bibliographic' ? bibliographicDoi(query) : undefined
    if (doi !== undefined) terms.push(`CASE WHEN doi = ${parameters.add(doi)} THEN ${number(DOI_BONUS)} ELSE 0 END`)
  }
  return terms.length === 0 ? 'NULL::float8' : `round((${terms.join(' + ')})::numeric, 3)::float8`
}
