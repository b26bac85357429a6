import type { CslItem } from './schema.js'
import { CSL_NAME_VARIABLES } from './schema.js'

/** Folds case and accents so that "Müller" is found by "muller". */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
}

/** The words a query searches, as one text: joined, the record is tokenized in one pass. */
function searchableText(item: CslItem): string {
  const parts = [item.title ?? '', item.abstract ?? '']
  for (const variable of CSL_NAME_VARIABLES) {
    for (const name of item[variable] ?? []) {
      parts.push(
        name.literal ?? '',
        name.given ?? '',
        name['dropping-particle'] ?? '',
        name['non-dropping-particle'] ?? '',
        name.family ?? '',
      )
    }
  }
  return parts.join(' ')
}

/** Records indexed between two pauses of an asynchronous build: a few milliseconds of work. */
const SLICE = 1000

const WHITESPACE = /\s+/
const ASCII = /^[\x00-\x7f]*$/
const ASCII_TOKEN = /[a-z0-9]+/g

/**
 * Tokenizes like `tokenize`, word by word with the result of each distinct word remembered: words
 * repeat across a catalogue, and folding is what costs. Splitting at whitespace first changes
 * nothing, as whitespace is never part of a token and no folding step looks across it.
 */
class CachingTokenizer {
  private readonly seen = new Map<string, readonly string[]>()

  forEachToken(text: string, visit: (token: string) => void): void {
    // ASCII needs no folding beyond lower case: the common case, done without the cache.
    if (ASCII.test(text)) {
      text.toLowerCase().match(ASCII_TOKEN)?.forEach(visit)
      return
    }
    for (const word of text.split(WHITESPACE)) {
      let tokens = this.seen.get(word)
      if (tokens === undefined) {
        tokens = tokenize(word)
        this.seen.set(word, tokens)
      }
      tokens.forEach(visit)
    }
  }
}

/**
 * An inverted index from word to the ascending positions of the records that contain it, so that a
 * query costs the length of its rarest word's list, not a scan of the catalogue.
 */
export class SearchIndex {
  private readonly postings = new Map<string, number[]>()

  constructor(items: readonly CslItem[] = []) {
    const tokenizer = new CachingTokenizer()
    items.forEach((item, position) => this.add(item, position, tokenizer))
  }

  /**
   * Builds the index a slice of records at a time, awaiting `pause` between slices, so that a
   * reload of a large catalogue leaves the event loop free for the requests being served.
   */
  static async build(items: readonly CslItem[], pause: () => Promise<void>): Promise<SearchIndex> {
    const index = new SearchIndex()
    const tokenizer = new CachingTokenizer()
    for (let position = 0; position < items.length; position++) {
      index.add(items[position] as CslItem, position, tokenizer)
      if (position % SLICE === SLICE - 1) await pause()
    }
    return index
  }

  private add(item: CslItem, position: number, tokenizer: CachingTokenizer): void {
    tokenizer.forEachToken(searchableText(item), (token) => {
      const list = this.postings.get(token)
      // Positions arrive in ascending order, so a repeated word of this record is the list's last entry.
      if (list === undefined) this.postings.set(token, [position])
      else if (list[list.length - 1] !== position) list.push(position)
    })
  }

  /** Positions of the records that contain every word of the query, in catalogue order. */
  match(query: string): readonly number[] {
    const lists = [...new Set(tokenize(query))].map((token) => this.postings.get(token) ?? [])
    if (lists.length === 0) return []
    lists.sort((a, b) => a.length - b.length)
    const [rarest, ...others] = lists as [number[], ...number[][]]
    return rarest.filter((position) => others.every((list) => binarySearch(list, position)))
  }
}

function binarySearch(sorted: readonly number[], value: number): boolean {
  let low = 0
  let high = sorted.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const found = sorted[middle] as number
    if (found === value) return true
    if (found < value) low = middle + 1
    else high = middle - 1
  }
  return false
}
