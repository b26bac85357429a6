import { normalizeDoi } from '../doi.js'
import { contentVersion } from '../file-work.js'
import { baseKey } from '../keys.js'
import type { CslItem } from '../schema.js'
import { CachingTokenizer, searchTokens, tokenize } from '../search-index.js'
import { countedWords, fitsLexeme, otherFieldLexemes, QUERY_COLUMNS, queryColumnValues, quotedLexemes } from './query-columns.js'

/** What a row of `works` holds besides the citation key, which depends on the other rows. */
export interface DerivedRow {
  readonly id: string
  readonly doi: string | null
  /** The key an explicit `citation-key` asks for, which no other record may ask for too. */
  readonly askedKey: string | null
  readonly baseKey: string
  readonly type: string
  readonly item: CslItem
  /** The record as JSON, as its version digests it. */
  readonly json: string
  /** The search tokens as a tsvector literal. */
  readonly search: string
  /** The words word_counts counts the work under. */
  readonly words: readonly string[]
  readonly version: string
  /** What queries read of the record, in the order of QUERY_COLUMNS. */
  readonly query: readonly (string | null)[]
}

/** The columns a valid record gives, derived as the file store derives them. */
export function deriveRow(item: CslItem, tokenizer = new CachingTokenizer()): DerivedRow {
  const json = JSON.stringify(item)
  const lexemes = searchTokens(item, tokenizer)
  const others = otherFieldLexemes(item, tokenizer)
  return {
    id: String(item.id),
    doi: item.DOI === undefined ? null : normalizeDoi(item.DOI),
    askedKey: item['citation-key'] === undefined ? null : baseKey(item),
    baseKey: baseKey(item),
    type: item.type,
    item,
    json,
    search: quotedLexemes(lexemes).join(' '),
    words: countedWords(lexemes, others),
    version: contentVersion(item, json),
    query: queryColumnValues(item, tokenizer, others),
  }
}

/** The columns of `works` a derived row fills, and their values for a row given its citation key. */
export const ROW_COLUMNS = ['id', 'doi', 'asked_key', 'key', 'type', 'item', 'search', 'version', ...QUERY_COLUMNS] as const

export const rowValues = (row: DerivedRow, key: string | undefined): (string | null)[] => [
  row.id,
  row.doi,
  row.askedKey,
  key ?? null,
  row.type,
  row.json,
  row.search,
  row.version,
  ...row.query,
]

/**
 * The tsquery that matches the works with every word of `text`, as the file store's search does; `null`
 * when no work can match (text without words, or a word too long to be indexed).
 */
export function searchQuery(text: string): string | null {
  const tokens = [...new Set(tokenize(text))]
  if (tokens.length === 0 || !tokens.every(fitsLexeme)) return null
  return quotedLexemes(tokens).join(' & ')
}
