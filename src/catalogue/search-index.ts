import { FIELD, type FieldBit } from './query/fields.js'
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

const nameField = (variable: string): FieldBit =>
  variable === 'author' ? FIELD.author : variable === 'editor' ? FIELD.editor : FIELD.otherNames

/** Visits each text of a record that every-word search searches, with its field: title, abstract and the parts of every name. */
export function forEachSearchableText(item: CslItem, visit: (text: string, field: FieldBit) => void): void {
  if (item.title) visit(item.title, FIELD.title)
  if (item.abstract) visit(item.abstract, FIELD.abstract)
  // The record's own keys rather than every name variable: a record has few of the many, and looking
  // up the absent ones took a fifth of a large catalogue's indexing.
  for (const variable in item) {
    if (!NAME_VARIABLES.has(variable)) continue
    const field = nameField(variable)
    for (const name of item[variable as CslNameVariable] ?? []) {
      if (name.literal) visit(name.literal, field)
      if (name.given) visit(name.given, field)
      if (name['dropping-particle']) visit(name['dropping-particle'], field)
      if (name['non-dropping-particle']) visit(name['non-dropping-particle'], field)
      if (name.family) visit(name.family, field)
    }
  }
}

const WHITESPACE = /\s+/
const NON_ASCII = /[^\p{ASCII}]/u

/** Whether a character code of lower-case ASCII text belongs to a token: a-z or 0-9. */
const isAsciiTokenCode = (code: number) => (code >= 97 && code <= 122) || (code >= 48 && code <= 57)

/**
 * Tokenizes like `tokenize`, text by text. ASCII text needs no folding beyond lower case, so it is
 * scanned once, by character code: most text is ASCII, and a record's non-ASCII name does not slow
 * its ASCII abstract. Other text is tokenized word by word with each distinct word's tokens
 * remembered: words repeat across a catalogue, and folding is what costs. Splitting at whitespace
 * changes nothing, as whitespace is never part of a token and no folding step looks across it.
 */
export class CachingTokenizer {
  private readonly seen = new Map<string, readonly string[]>()

  /** Visits the tokens of `text` in order, each occurrence once: titles' word order makes the phrase bonus. */
  forEachToken(text: string, visit: (token: string) => void): void {
    if (NON_ASCII.test(text)) return this.forEachFoldedToken(text, visit)
    const lower = text.toLowerCase()
    let start = -1
    for (let index = 0; index < lower.length; index++) {
      if (isAsciiTokenCode(lower.charCodeAt(index))) {
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

/**
 * A token in a string of its own, for a token kept after its text, as a word of a vocabulary: a token
 * cut from a text may share the text's memory (V8 slices long strings) and would keep it all alive.
 */
export const ownToken = (token: string) => Buffer.from(token).toString()

/** The distinct tokens that find a record by every-word search: for stores that index elsewhere. */
export function searchTokens(item: CslItem, tokenizer = new CachingTokenizer()): Set<string> {
  const tokens = new Set<string>()
  forEachSearchableText(item, (text) => tokenizer.forEachToken(text, (token) => tokens.add(token)))
  return tokens
}
