import type { CslItem } from './schema.js'
import { CSL_NAME_VARIABLES, type CslNameVariable } from './schema.js'

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

const NAME_VARIABLES: ReadonlySet<string> = new Set(CSL_NAME_VARIABLES)

/** Visits each text of a record that a query searches: title, abstract and the parts of every name. */
function forEachSearchableText(item: CslItem, visit: (text: string) => void): void {
  if (item.title) visit(item.title)
  if (item.abstract) visit(item.abstract)
  // The record's own keys rather than every name variable: a record has few of the many, and looking
  // up the absent ones took a fifth of a large catalogue's indexing.
  for (const variable in item) {
    if (!NAME_VARIABLES.has(variable)) continue
    for (const name of item[variable as CslNameVariable] ?? []) {
      if (name.literal) visit(name.literal)
      if (name.given) visit(name.given)
      if (name['dropping-particle']) visit(name['dropping-particle'])
      if (name['non-dropping-particle']) visit(name['non-dropping-particle'])
      if (name.family) visit(name.family)
    }
  }
}

/** Records indexed between two pauses of an asynchronous build: a few milliseconds of work. */
const SLICE = 1000

const WHITESPACE = /\s+/

/** Whether a character code of lower-case ASCII text belongs to a token: a-z or 0-9. */
const isAsciiTokenCode = (code: number) => (code >= 97 && code <= 122) || (code >= 48 && code <= 57)

/**
 * Tokenizes like `tokenize`, text by text. ASCII text needs no folding beyond lower case, so it is
 * scanned once without regular expressions: most text is ASCII, and a record's non-ASCII name does
 * not slow its ASCII abstract. Other text is tokenized word by word with each distinct word's tokens
 * remembered: words repeat across a catalogue, and folding is what costs. Splitting at whitespace
 * changes nothing, as whitespace is never part of a token and no folding step looks across it.
 */
export class CachingTokenizer {
  private readonly seen = new Map<string, readonly string[]>()

  /**
   * Visits the tokens of `text`, some of them more than once: the scan visits the tokens of the
   * text's ASCII beginning before it meets a non-ASCII character, and then the whole text goes to
   * the word by word path. Those tokens are tokens of the text (no folding step changes ASCII or
   * looks back across a character outside a token), and the index posts a repeated token once.
   */
  forEachToken(text: string, visit: (token: string) => void): void {
    const lower = text.toLowerCase()
    let start = -1
    for (let index = 0; index < lower.length; index++) {
      const code = lower.charCodeAt(index)
      if (code > 0x7f) return this.forEachFoldedToken(text, visit)
      if (isAsciiTokenCode(code)) {
        if (start < 0) start = index
      } else if (start >= 0) {
        visit(lower.slice(start, index))
        start = -1
      }
    }
    if (start >= 0) visit(lower.slice(start))
  }

  private forEachFoldedToken(text: string, visit: (token: string) => void): void {
    for (const word of text.split(WHITESPACE)) {
      let tokens = this.seen.get(word)
      if (tokens === undefined) {
        tokens = tokenize(word)
        this.seen.set(word, tokens)
      }
      for (const token of tokens) visit(token)
    }
  }
}

/** The distinct tokens that find a record, as the index posts them: for stores that index elsewhere. */
export function searchTokens(item: CslItem, tokenizer = new CachingTokenizer()): Set<string> {
  const tokens = new Set<string>()
  forEachSearchableText(item, (text) => tokenizer.forEachToken(text, (token) => tokens.add(token)))
  return tokens
}

/**
 * An inverted index from word to the ascending positions of the records that contain it, so that a
 * query costs the length of its rarest word's list, not a scan of the catalogue. Not minisearch or
 * flexsearch: they rank matches by score, and pages and cursors need them in catalogue order.
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
    const post = (token: string) => {
      const list = this.postings.get(token)
      // Positions arrive in ascending order, so a repeated word of this record is the list's last entry.
      if (list === undefined) this.postings.set(token, [position])
      else if (list[list.length - 1] !== position) list.push(position)
    }
    forEachSearchableText(item, (text) => tokenizer.forEachToken(text, post))
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
