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
 * The tokens of each field of the record (`forEachFieldText`, as the file store's index posts them),
 * qualified by their field, with the title's tokens at their places for phrases: a tsvector literal.
 */
function fieldsVector(item: CslItem, tokenizer: CachingTokenizer): string {
  const lexemes = new Set<string>()
  forEachFieldText(item, (text: string, field: FieldBit) => {
    const letter = LETTER_OF_BIT.get(field)
    if (letter === undefined || field === FIELD.title) return
    tokenizer.forEachToken(text, (token) => lexemes.add(fieldLexeme(letter, token)))
  })
  const places = new Map<string, number[]>()
  if (item.title) {
    tokenize(item.title).forEach((token, index) => {
      const lexeme = fieldLexeme(FIELD_LETTER.title, token)
      const at = places.get(lexeme) ?? []
      if (at.length < MAX_POSITIONS) at.push(Math.min(index + 1, MAX_POSITION))
      places.set(lexeme, at)
    })
  }
  const plain = quotedLexemes(lexemes)
  const placed = [...places].filter(([lexeme]) => fitsLexeme(lexeme)).map(([lexeme, at]) => `'${lexeme}':${at.join(',')}`)
  return [...placed, ...plain].join(' ')
}

// The fields whose tokens count as words a work holds besides its search lexemes (work_words in migrations/).
const COUNTED_FIELDS: number = FIELD.container | FIELD.year | FIELD.volume | FIELD.issue | FIELD.page

/**
 * The words word_counts counts a work under, as work_words reads them from its row: the lexemes of
 * `search` and the tokens of its container, year, volume, issue and page that `fields` holds.
 */
export function countedWords(item: CslItem, searchLexemes: ReadonlySet<string>, tokenizer: CachingTokenizer): string[] {
  const words = new Set([...searchLexemes].filter(fitsLexeme))
  forEachFieldText(item, (text: string, field: FieldBit) => {
    const letter = LETTER_OF_BIT.get(field)
    if (letter === undefined || (field & COUNTED_FIELDS) === 0) return
    tokenizer.forEachToken(text, (token) => {
      if (fitsLexeme(fieldLexeme(letter, token))) words.add(token)
    })
  })
  return [...words]
}

/** The query columns of a valid record, in the order of QUERY_COLUMNS. */
export function queryColumnValues(item: CslItem, tokenizer: CachingTokenizer): (string | null)[] {
  const facts = workFacts(item)
  return [
    String(DERIVATION),
    fieldsVector(item, tokenizer),
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
