import { LRUCache } from 'lru-cache'
import { tokenize } from '../../catalogue/search-index.js'
import type { StyleSummary } from './library.js'

/** Results kept for queries asked again: the page's style field asks as the user types. */
const CACHED_QUERIES = 500

/** Where a style ranks for a query: its id or an alias exactly, then ids starting with it, then the rest. */
function rank(style: StyleSummary, query: string): number {
  if (style.id === query || style.aliases.includes(query)) return 0
  return style.id.startsWith(query) ? 1 : 2
}

/** The first position in the sorted `tokens` not before `word`. */
function lowerBound(tokens: readonly string[], word: string): number {
  let low = 0
  let high = tokens.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((tokens[middle] as string) < word) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * The styles by the words of their id, aliases and title, indexed once per library: a query looks up
 * the tokens that start with each of its words (a range of the sorted tokens), not every title.
 */
export class StyleSearch {
  private readonly tokens: readonly string[]
  private readonly postings = new Map<string, number[]>()
  private readonly results = new LRUCache<string, readonly StyleSummary[]>({ max: CACHED_QUERIES })

  constructor(private readonly styles: readonly StyleSummary[]) {
    styles.forEach((style, position) => {
      for (const token of new Set(tokenize(`${style.id} ${style.aliases.join(' ')} ${style.title}`))) {
        const list = this.postings.get(token)
        if (list === undefined) this.postings.set(token, [position])
        else list.push(position)
      }
    })
    this.tokens = [...this.postings.keys()].sort()
  }

  /** The styles with a word starting with each word of the query (all without one), best first. */
  search(query: string): readonly StyleSummary[] {
    const wanted = query.trim().toLowerCase()
    let found = this.results.get(wanted)
    if (found === undefined) {
      found = this.rank(wanted, this.matching(tokenize(query)))
      this.results.set(wanted, found)
    }
    return found
  }

  /** Positions of the styles matching every word, in library order. */
  private matching(words: readonly string[]): number[] {
    let matched: Set<number> | undefined
    for (const word of words) {
      const withWord = new Set<number>()
      for (let index = lowerBound(this.tokens, word); index < this.tokens.length; index++) {
        const token = this.tokens[index] as string
        if (!token.startsWith(word)) break
        for (const position of this.postings.get(token) ?? []) if (matched === undefined || matched.has(position)) withWord.add(position)
      }
      matched = withWord
    }
    return matched === undefined ? this.styles.map((_, position) => position) : [...matched].sort((a, b) => a - b)
  }

  private rank(wanted: string, positions: readonly number[]): StyleSummary[] {
    return (
      positions
        .map((position) => ({ style: this.styles[position] as StyleSummary, rank: rank(this.styles[position] as StyleSummary, wanted) }))
        // Array.prototype.sort is stable: within a rank, shorter ids (the general style before its variants) first.
        .sort((a, b) => a.rank - b.rank || (a.rank === 1 ? a.style.id.length - b.style.id.length : 0))
        .map(({ style }) => style)
    )
  }
}
