/** Levenshtein distance, bounded: stops counting once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMinimum = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost)
      current.push(value)
      rowMinimum = Math.min(rowMinimum, value)
    }
    if (rowMinimum > limit) return limit + 1
    previous = current
  }
  return previous[b.length] as number
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
    let score = lower.includes(needle) ? (lower.startsWith(needle) ? -2 : -1) : distance(needle, lower, limit)
    if (score > limit) score = words(lower).some((word) => needleWords.includes(word)) ? limit + 0.5 : Infinity
    if (score !== Infinity) scored.push({ candidate, score })
  }
  return scored
    .sort((a, b) => a.score - b.score || a.candidate.length - b.candidate.length || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate)
}
