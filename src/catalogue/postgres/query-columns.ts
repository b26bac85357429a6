import { foldedKey, NO_DAY, workFacts } from '../query/facts.js'
import { FIELD, type FieldBit } from '../query/fields.js'
import { forEachFieldText } from '../query/relevance.js'
import type { CslItem } from '../schema.js'
import { tokenize, type CachingTokenizer } from '../search-index.js'

/**
 * Which derivation of the query columns a row holds: rows below it are derived again by the backfill.
 * A new number comes with a migration that gives the partial index works_underived its predicate.
 */
export const DERIVATION = 1

/** The letter that qualifies a token of each field in the `fields` column; the abstract is in `search` alone. */
export const FIELD_LETTER: Readonly<Record<Exclude<keyof typeof FIELD, 'abstract'>, string>> = {
  title: 't',
  container: 'c',
  author: 'a',
  editor: 'e',
  otherNames: 'o',
  year: 'y',
  volume: 'v',
  issue: 'i',
  page: 'p',
}

const LETTER_OF_BIT = new Map<number, string>(
  Object.entries(FIELD_LETTER).map(([field, letter]) => [FIELD[field as keyof typeof FIELD], letter]),
)

// PostgreSQL refuses lexemes of this many bytes or more; no query word can match such a token.
const MAX_LEXEME_BYTES = 2047
// tsvector positions stop at 16383, and a lexeme keeps at most 256 of them.
const MAX_POSITION = 16383
const MAX_POSITIONS = 256

export const fitsLexeme = (lexeme: string) => Buffer.byteLength(lexeme) < MAX_LEXEME_BYTES

/**
 * Lexemes quoted for a tsvector or tsquery literal, leaving out those PostgreSQL would refuse. Tokens
 * are runs of letters and digits, so quoting each is enough to make a literal of them.
 */
export const quotedLexemes = (lexemes: Iterable<string>) => [...lexemes].filter(fitsLexeme).map((lexeme) => `'${lexeme}'`)

/** A token of a field as the `fields` column holds it. */
export const fieldLexeme = (letter: string, token: string) => `${letter}:${token}`

/** The query columns of a row, each as the text PostgreSQL reads for its type (COPY and parameters alike). */
export const QUERY_COLUMNS = [
  'derived',
  'fields',
  'published',
  'title_key',
  'container_key',
  'container_title',
  'language',
  'prefix',
  'issns',
  'isbns',
  'has_abstract',
] as const

// ISSNs (NNNN-NNNN) and ISBNs (digits and X) need no quoting in an array literal.
const arrayLiteral = (values: readonly string[]) => `{${values.join(',')}}`

/**
 * The tokens of each field of the record but the title (`forEachFieldText`, as the file store's index
 * posts them), qualified by their field: the lexemes of `fields` without places, leaving out those
 * PostgreSQL would refuse.
 */
export function otherFieldLexemes(item: CslItem, tokenizer: CachingTokenizer): Set<string> {
  const lexemes = new Set<string>()
  forEachFieldText(item, (text: string, field: FieldBit) => {
    const letter = LETTER_OF_BIT.get(field)
    if (letter === undefined || field === FIELD.title) return
    tokenizer.forEachToken(text, (token) => {
      const lexeme = fieldLexeme(letter, token)
      if (fitsLexeme(lexeme)) lexemes.add(lexeme)
    })
  })
  return lexemes
}

/** The other fields' lexemes with the title's tokens at their places for phrases: a tsvector literal. */
function fieldsVector(item: CslItem, others: ReadonlySet<string>): string {
  const places = new Map<string, number[]>()
  if (item.title) {
    tokenize(item.title).forEach((token, index) => {
      const lexeme = fieldLexeme(FIELD_LETTER.title, token)
      const at = places.get(lexeme) ?? []
      if (at.length < MAX_POSITIONS) at.push(Math.min(index + 1, MAX_POSITION))
      places.set(lexeme, at)
    })
  }
  const placed = [...places].filter(([lexeme]) => fitsLexeme(lexeme)).map(([lexeme, at]) => `'${lexeme}':${at.join(',')}`)
  return [...placed, ...quotedLexemes(others)].join(' ')
}

// The fields whose tokens count as words a work holds besides its search lexemes (work_words in migrations/).
const COUNTED_PREFIXES: ReadonlySet<string> = new Set(
  [FIELD_LETTER.container, FIELD_LETTER.year, FIELD_LETTER.volume, FIELD_LETTER.issue, FIELD_LETTER.page].map((letter) =>
    fieldLexeme(letter, ''),
  ),
)

/**
 * The words word_counts counts a work under, as work_words reads them from its row: the lexemes of
 * `search`, and those of `fields` from the container, year, volume, issue and page, unqualified.
 */
export function countedWords(searchLexemes: ReadonlySet<string>, otherFields: ReadonlySet<string>): string[] {
  const words = new Set([...searchLexemes].filter(fitsLexeme))
  for (const lexeme of otherFields) if (COUNTED_PREFIXES.has(lexeme.slice(0, 2))) words.add(lexeme.slice(2))
  return [...words]
}

/** The query columns of a valid record, in the order of QUERY_COLUMNS; `others` as otherFieldLexemes gives them. */
export function queryColumnValues(
  item: CslItem,
  tokenizer: CachingTokenizer,
  others: ReadonlySet<string> = otherFieldLexemes(item, tokenizer),
): (string | null)[] {
  const facts = workFacts(item)
  return [
    String(DERIVATION),
    fieldsVector(item, others),
    String(facts.published ?? NO_DAY),
    item.title === undefined ? '' : foldedKey(item.title),
    facts.containerKey,
    facts.containerTitle,
    facts.language,
    facts.prefix,
    arrayLiteral(facts.issns),
    arrayLiteral(facts.isbns),
    facts.hasAbstract ? 't' : 'f',
  ]
}
