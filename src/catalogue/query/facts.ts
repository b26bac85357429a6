import { normalizeDoi } from '../doi.js'
import type { CslItem } from '../schema.js'
import { tokenize } from '../search-index.js'

/**
 * What filters, sorts and facets read of a record, derived by this one function for both stores, so
 * that the two cannot disagree on what a record's date, title or ISSN is.
 */
export interface WorkFacts {
  readonly type: string
  /** The issued date as a day key; a missing month or day counts as the first. */
  readonly published: number | null
  readonly containerTitle: string | null
  readonly containerKey: string | null
  /** Lower case. */
  readonly language: string | null
  readonly doi: string | null
  readonly prefix: string | null
  readonly issns: readonly string[]
  readonly isbns: readonly string[]
  readonly hasAbstract: boolean
}

/** A date as one sortable integer, yyyymmdd. */
export const dayKey = (year: number, month = 1, day = 1) => year * 10000 + month * 100 + day

/** The year of a day key. */
export const yearOf = (key: number) => Math.floor(key / 10000)

/** Where works without a date sort: first in ascending order, last in descending. */
export const NO_DAY = -999_999_999

const NOT_ASCII = /[^\p{ASCII}]/u

/** Case, accents and punctuation folded away, words joined by single spaces: how titles sort and compare. */
export function foldedKey(text: string): string {
  // ASCII needs no folding beyond lower case, and most titles are ASCII: the quick way gives the same words.
  if (!NOT_ASCII.test(text)) return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).join(' ')
  return tokenize(text).join(' ')
}

function publishedKey(item: CslItem): number | null {
  const parts = item.issued?.['date-parts']?.[0]
  const [year, month, day] = (parts ?? []).map(Number)
  if (year === undefined || !Number.isInteger(year)) return null
  const valid = (value: number | undefined, max: number) =>
    value !== undefined && Number.isInteger(value) && value >= 1 && value <= max ? value : undefined
  const validMonth = valid(month, 12)
  return dayKey(year, validMonth, validMonth === undefined ? undefined : valid(day, 31))
}

/** ISSNs as NNNN-NNNN: a record may hold several in one field, with or without the hyphen. */
export function issnsOf(text: string): string[] {
  return [...text.toUpperCase().matchAll(/\b(\d{4})-?(\d{3}[\dX])\b/g)].map(([, first, second]) => `${first}-${second}`)
}

/** ISBNs as their digits (and X): a record may hold several in one field, hyphenated or not. */
export function isbnsOf(text: string): string[] {
  return (text.toUpperCase().match(/(?:\d[\d -]{8,15}[\dX])/g) ?? [])
    .map((isbn) => isbn.replace(/[ -]/g, ''))
    .filter((isbn) => isbn.length === 10 || isbn.length === 13)
}

export function workFacts(item: CslItem): WorkFacts {
  const container = item['container-title']
  const doi = item.DOI === undefined ? null : normalizeDoi(item.DOI)
  const slash = doi?.indexOf('/') ?? -1
  return {
    type: item.type,
    published: publishedKey(item),
    containerTitle: container ?? null,
    containerKey: container === undefined ? null : foldedKey(container),
    language: item.language === undefined ? null : item.language.trim().toLowerCase(),
    doi,
    prefix: doi === null || slash < 0 ? null : doi.slice(0, slash),
    issns: item.ISSN === undefined ? [] : issnsOf(item.ISSN),
    isbns: item.ISBN === undefined ? [] : isbnsOf(item.ISBN),
    hasAbstract: item.abstract !== undefined && item.abstract.trim() !== '',
  }
}
