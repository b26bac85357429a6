import { distance } from 'fastest-levenshtein'

/** Levenshtein distance, or `limit + 1` at once for strings whose lengths alone differ by more than `limit`. */
function boundedDistance(a: string, b: string, limit: number): number {
  return Math.abs(a.length - b.length) > limit ? limit + 1 : distance(a, b)
}

const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 3)

/**
 * The candidates closest to what was asked for: those containing it first, then by edit distance,
 * then those sharing a word with it ("chicago-fantasy" suggests the chicago-* styles).
 */
export function closest(wanted: string, candidates: Iterable<string>, count = 5): string[] {
  const needle = wanted.trim().toLowerCase()
  const limit = Math.max(2, Math.floor(needle.length / 3))
  const needleWords = words(needle)
  const scored: { candidate: string; score: number }[] = []
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase()
    let score = lower.includes(needle) ? (lower.startsWith(needle) ? -2 : -1) : boundedDistance(needle, lower, limit)
    if (score > limit) score = words(lower).some((word) => needleWords.includes(word)) ? limit + 0.5 : Infinity
    if (score !== Infinity) scored.push({ candidate, score })
  }
  return scored
    .sort((a, b) => a.score - b.score || a.candidate.length - b.candidate.length || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate)
}
