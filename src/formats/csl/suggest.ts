import { distance } from 'fastest-levenshtein'
import { LRUCache } from 'lru-cache'

/**
 * The most edits a suggestion may be away from what was asked for: typos are a few edits, and a bound
 * keeps a long unknown name from being compared with every name of a similar length.
 */
const MAX_EDITS = 4
/** Suggestions kept per index, for names asked for again (a misspelt style many clients use). */
const CACHED_SUGGESTIONS = 1000

const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 3)

interface Candidate {
  readonly name: string
  readonly lower: string
  readonly words: readonly string[]
}

/**
 * Names to suggest from, prepared once (lower case, words), with the suggestions made so far: asking
 * for the closest names compares with each only cheaply, and with few by edit distance.
 */
export class NameIndex {
  private readonly candidates: readonly Candidate[]
  private readonly suggestions = new LRUCache<string, readonly string[]>({ max: CACHED_SUGGESTIONS })

  constructor(names: Iterable<string>) {
    this.candidates = [...new Set(names)].map((name) => {
      const lower = name.toLowerCase()
      return { name, lower, words: words(lower) }
    })
  }

  /**
   * The candidates closest to what was asked for: those containing it first, then by edit distance,
   * then those sharing a word with it ("chicago-fantasy" suggests the chicago-* styles).
   */
  closest(wanted: string, count = 5): string[] {
    const needle = wanted.trim().toLowerCase()
    const key = `${count}\u0000${needle}`
    let found = this.suggestions.get(key)
    if (found === undefined) {
      found = this.search(needle, count)
      this.suggestions.set(key, found)
    }
    return [...found]
  }

  private search(needle: string, count: number): string[] {
    const limit = Math.min(MAX_EDITS, Math.max(2, Math.floor(needle.length / 3)))
    const needleWords = words(needle)
    const scored: { candidate: string; score: number }[] = []
    for (const { name, lower, words: candidateWords } of this.candidates) {
      let score = Infinity
      if (lower.includes(needle)) score = lower.startsWith(needle) ? -2 : -1
      // Only names whose length alone does not rule them out are compared letter by letter.
      else if (Math.abs(lower.length - needle.length) <= limit) score = distance(needle, lower)
      if (score > limit) score = candidateWords.some((word) => needleWords.includes(word)) ? limit + 0.5 : Infinity
      if (score !== Infinity) scored.push({ candidate: name, score })
    }
    return scored
      .sort((a, b) => a.score - b.score || a.candidate.length - b.candidate.length || a.candidate.localeCompare(b.candidate))
      .slice(0, count)
      .map(({ candidate }) => candidate)
  }
}

/** The closest of a few candidates (formats, locales), without keeping an index. */
export function closest(wanted: string, candidates: Iterable<string>, count = 5): string[] {
  return new NameIndex(candidates).closest(wanted, count)
}
