import { z } from 'zod'
import { normalizeDoi } from '../catalogue/doi.js'
import { dayKey, foldedKey, isbnsOf, issnsOf } from '../catalogue/query/facts.js'
import type { WorkFilters } from '../catalogue/query/types.js'
import { CSL_ITEM_TYPES } from '../catalogue/schema.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type Parsed = { readonly value: unknown } | { readonly error: string }

/** One of Crossref's filters: what its value looks like, and where the parsed value goes. */
interface FilterDefinition {
  readonly example: string
  /** Whether repeating the filter widens it (any of the values) rather than being an error. */
  readonly repeatable: boolean
  parse(value: string): Parsed
  apply(filters: Mutable<WorkFilters>, value: unknown): void
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** A year, year-month or date as the year, month and day of its first or its last day. */
function dayOf(value: string, end: boolean): { year: number; month: number; day: number } | undefined {
  const match = DATE.exec(value)
  if (!match) return undefined
  const [year, month, day] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as [number, number?, number?]
  if (month !== undefined && (month < 1 || month > 12)) return undefined
  if (day !== undefined && (month === undefined || day < 1 || day > daysIn(year, month))) return undefined
  const wholeMonth = month ?? (end ? 12 : 1)
  return { year, month: wholeMonth, day: day ?? (end ? daysIn(year, wholeMonth) : 1) }
}

/** A date (from its first or to its last millisecond, UTC) or an ISO 8601 time. */
function timeOf(value: string, end: boolean): Date | undefined {
  const day = dayOf(value, end)
  if (day !== undefined) return new Date(Date.UTC(day.year, day.month - 1, day.day) + (end ? 86_399_999 : 0))
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined
  const time = new Date(value)
  return Number.isNaN(time.getTime()) ? undefined : time
}

const ok = (value: unknown): Parsed => ({ value })
const refuse = (error: string): Parsed => ({ error })
const BOOLEANS: Record<string, boolean> = { true: true, t: true, '1': true, false: false, f: false, '0': false }

function listFilter(example: string, parse: (value: string) => Parsed, key: keyof WorkFilters): FilterDefinition {
  return {
    example,
    repeatable: true,
    parse,
    apply: (filters, value) => {
      const list = (filters[key] ?? []) as unknown[]
      ;(filters as Record<string, unknown>)[key] = [...list, value]
    },
  }
}

function singleFilter(example: string, parse: (value: string) => Parsed, key: keyof WorkFilters): FilterDefinition {
  return { example, repeatable: false, parse, apply: (filters, value) => void ((filters as Record<string, unknown>)[key] = value) }
}

const flag = (value: string) => (value in BOOLEANS ? ok(BOOLEANS[value]) : refuse('must be true or false'))
const date = (end: boolean) => (value: string) => {
  const day = dayOf(value, end)
  return day === undefined
    ? refuse('must be a year, year-month or date (2024, 2024-05, 2024-05-17)')
    : ok(dayKey(day.year, day.month, day.day))
}
const time = (end: boolean) => (value: string) => {
  const parsed = timeOf(value, end)
  return parsed === undefined ? refuse('must be a date (2024-05-17) or a time (2024-05-17T12:00:00Z)') : ok(parsed)
}
const single = (found: string[], what: string) => (found.length === 1 ? ok(found[0]) : refuse(`must be one ${what}`))

/** Crossref's filter names (where Crossref has the filter), with their values. */
const FILTERS: Readonly<Record<string, FilterDefinition>> = {
  type: listFilter(
    'article-journal',
    (value) =>
      (CSL_ITEM_TYPES as readonly string[]).includes(value) ? ok(value) : refuse(`must be a CSL type: ${CSL_ITEM_TYPES.join(', ')}`),
    'type',
  ),
  'from-pub-date': singleFilter('2020', date(false), 'fromPublished'),
  'until-pub-date': singleFilter('2024-06', date(true), 'untilPublished'),
  'has-abstract': singleFilter('true', flag, 'hasAbstract'),
  'has-doi': singleFilter('true', flag, 'hasDoi'),
  doi: listFilter(
    '10.5555/12345678',
    (value) => {
      const doi = normalizeDoi(value)
      return /^10\.\d+\/\S+$/.test(doi) ? ok(doi) : refuse('must be a DOI such as 10.5555/12345678')
    },
    'doi',
  ),
  prefix: listFilter(
    '10.5555',
    (value) => (/^10\.\d+$/.test(value) ? ok(value) : refuse('must be a DOI prefix such as 10.5555')),
    'prefix',
  ),
  issn: listFilter('1234-5679', (value) => single(issnsOf(value), 'ISSN, such as 1234-5679'), 'issn'),
  isbn: listFilter('978-3-16-148410-0', (value) => single(isbnsOf(value), 'ISBN of 10 or 13 digits'), 'isbn'),
  'container-title': listFilter(
    'Journal of Tests',
    (value) => (foldedKey(value) === '' ? refuse('must hold a word') : ok(foldedKey(value))),
    'containerTitle',
  ),
  language: listFilter(
    'en',
    (value) =>
      /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i.test(value) ? ok(value.toLowerCase()) : refuse('must be a language tag such as en or en-GB'),
    'language',
  ),
  'from-update-date': singleFilter('2024-05-17', time(false), 'fromUpdated'),
  'until-update-date': singleFilter('2024-05-17T12:00:00Z', time(true), 'untilUpdated'),
}

const FILTER_NAMES = Object.keys(FILTERS)

// A filter starts at a name and a colon; a comma inside a value (a container title) belongs to the value.
const FILTER_START = /^[a-z][a-z-]*:/

/**
 * Crossref's `filter=name:value,name:value`, parsed.
 * @returns the filters, or the faults, each naming the filter and what is wrong with it
 */
function parseFilters(text: string): { filters: WorkFilters } | { faults: string[] } {
  const parts: string[] = []
  for (const piece of text.split(',')) {
    if (parts.length > 0 && !FILTER_START.test(piece.trim())) parts[parts.length - 1] += `,${piece}`
    else parts.push(piece)
  }
  const filters: Mutable<WorkFilters> = {}
  const faults: string[] = []
  const seen = new Set<string>()
  for (const part of parts) {
    const colon = part.indexOf(':')
    const name = (colon < 0 ? part : part.slice(0, colon)).trim()
    const value = colon < 0 ? '' : part.slice(colon + 1).trim()
    const definition = FILTERS[name]
    if (definition === undefined) {
      faults.push(`"${name}" is not a filter (filters: ${FILTER_NAMES.join(', ')})`)
      continue
    }
    if (seen.has(name) && !definition.repeatable) {
      faults.push(`"${name}" is given more than once`)
      continue
    }
    seen.add(name)
    const parsed = definition.parse(value)
    if ('error' in parsed) faults.push(`"${name}:${value}": the value ${parsed.error}`)
    else definition.apply(filters, parsed.value)
  }
  return faults.length > 0 ? { faults } : { filters }
}

/**
 * The `filter` parameter, given once or (as the catalogue page's controls send it) repeated, empty
 * ones ignored: its faults are a 400 naming each filter at fault and listing the valid ones.
 */
export const filterParameter = z
  .union([z.string().max(4000), z.array(z.string().max(4000)).max(20)])
  .transform((given, context) => {
    const text = (Array.isArray(given) ? given : [given]).filter((part) => part.trim() !== '').join(',')
    const parsed = text === '' ? { filters: {} } : parseFilters(text)
    if ('filters' in parsed) return parsed.filters
    context.addIssue({ code: 'custom', message: parsed.faults.join('; '), params: { allowed: FILTER_NAMES } })
    return z.NEVER
  })
  .describe(
    'Crossref filters, `name:value` separated by commas (or in repeated `filter` parameters); a repeated list filter matches any of its values. ' +
      `Filters: ${Object.entries(FILTERS)
        .map(([name, { example }]) => `${name} (${example})`)
        .join(', ')}. ` +
      "Dates are a year, year-month or date, bounds included; the update dates are each record's time of change.",
  )
