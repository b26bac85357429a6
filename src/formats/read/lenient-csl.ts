import {
  CSL_DATE_VARIABLES,
  CSL_ITEM_TYPES,
  CSL_NAME_VARIABLES,
  CSL_NUMBER_VARIABLES,
  CSL_STRING_VARIABLES,
} from '../../catalogue/schema.js'
import type { ParsedCsl } from '../citation-js.js'
import type { NotCarried, ReadRecord } from './reader.js'

// CSL-JSON as tools really write it: variables spelt in camel case or with underscores, dates as
// strings, names as strings, single values in arrays, and extra fields. What has a CSL variable is
// read as that variable; the rest is kept under `custom` and reported, so that no text is lost.

const DATES: ReadonlySet<string> = new Set(CSL_DATE_VARIABLES)
const NAMES: ReadonlySet<string> = new Set(CSL_NAME_VARIABLES)
const NUMBERS: ReadonlySet<string> = new Set(CSL_NUMBER_VARIABLES)
const STRINGS: ReadonlySet<string> = new Set(CSL_STRING_VARIABLES)
const VARIABLES = [...DATES, ...NAMES, ...NUMBERS, ...STRINGS, 'id', 'type', 'categories', 'custom']
const NAME_PARTS = new Set([
  'family',
  'given',
  'dropping-particle',
  'non-dropping-particle',
  'suffix',
  'comma-suffix',
  'static-ordering',
  'literal',
  'parse-names',
])
const DATE_PARTS = new Set(['date-parts', 'season', 'circa', 'literal', 'raw'])

/** A spelling folded for comparison: "originalDate", "original_date" and "Original Date" are alike. */
function folded(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '')
}

const BY_FOLDED = new Map(VARIABLES.map((variable) => [folded(variable), variable]))

// Type names of other vocabularies (Crossref, Zotero, BibTeX habits) that mean a CSL type.
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  journalarticle: 'article-journal',
  bookchapter: 'chapter',
  booksection: 'chapter',
  proceedingsarticle: 'paper-conference',
  conferencepaper: 'paper-conference',
  dissertation: 'thesis',
  blogpost: 'post-weblog',
  newspaperarticle: 'article-newspaper',
  magazinearticle: 'article-magazine',
  computerprogram: 'software',
  encyclopediaarticle: 'entry-encyclopedia',
  dictionaryentry: 'entry-dictionary',
  case: 'legal_case',
  statute: 'legislation',
}
const TYPES = new Map<string, string>([
  ...CSL_ITEM_TYPES.map((type): [string, string] => [folded(type), type]),
  ...Object.entries(TYPE_ALIASES),
])

/** The CSL variable a field name means, in whatever spelling. */
function cslVariable(name: string): string | undefined {
  return BY_FOLDED.get(folded(name))
}

const ISO_DATE = /^(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/

function date(value: unknown): unknown {
  if (typeof value === 'number') return { 'date-parts': [[value]] }
  if (typeof value !== 'string') return value
  const iso = ISO_DATE.exec(value.trim())
  if (!iso) return { raw: value }
  return {
    'date-parts': [
      iso
        .slice(1)
        .filter((part) => part !== undefined)
        .map(Number),
    ],
  }
}

interface Extras {
  readonly notCarried: NotCarried[]
  readonly kept: Record<string, unknown>
}

function name(value: unknown, where: string, extras: Extras): unknown {
  if (typeof value === 'string') return { literal: value }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const parts: Record<string, unknown> = {}
  const other: Record<string, unknown> = {}
  for (const [part, inner] of Object.entries(value)) {
    if (NAME_PARTS.has(part)) parts[part] = inner
    else if (part === 'name' && !('literal' in value)) parts.literal = inner
    else other[part] = inner
  }
  if (Object.keys(other).length > 0) {
    extras.kept[where] = other
    for (const part of Object.keys(other))
      extras.notCarried.push({ field: `${where}.${part}`, reason: `no CSL name part: kept under custom["${where}"]` })
  }
  return parts
}

function names(value: unknown, variable: string, extras: Extras): unknown {
  const list = Array.isArray(value) ? value : [value]
  return list.map((entry, index) => name(entry, `${variable}[${index}]`, extras))
}

/** A single value given as a list of one; a longer list keeps its first, and the rest is kept. */
function single(value: unknown, variable: string, extras: Extras): unknown {
  if (!Array.isArray(value)) return typeof value === 'number' && STRINGS.has(variable) ? String(value) : value
  if (value.length > 1) {
    extras.kept[variable] = value.slice(1)
    extras.notCarried.push({ field: `${variable}[1…]`, reason: `CSL has one ${variable}: the others are kept under custom["${variable}"]` })
  }
  return value[0]
}

function dateValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return date(value)
  return Object.fromEntries(Object.entries(value).filter(([part]) => DATE_PARTS.has(part)))
}

function shaped(variable: string, value: unknown, extras: Extras): unknown {
  if (DATES.has(variable)) return dateValue(value)
  if (NAMES.has(variable)) return names(value, variable, extras)
  if (NUMBERS.has(variable) || STRINGS.has(variable)) return single(value, variable, extras)
  return value
}

/** Zotero and citeproc-js's "cheater syntax": `Original Date: 1900` lines of the note that name a CSL variable. */
function noteVariables(note: string, item: ParsedCsl): { note: string; found: Array<[string, string, string]> } {
  const found: Array<[string, string, string]> = []
  const lines = note.split('\n').filter((line) => {
    const field = /^\s*([A-Za-z][A-Za-z _-]*[A-Za-z]):\s*(.+?)\s*$/.exec(line)
    const variable = field ? cslVariable(field[1] as string) : undefined
    if (!field || variable === undefined || variable in item || ['id', 'type', 'custom', 'note'].includes(variable)) return true
    found.push([field[1] as string, variable, field[2] as string])
    return false
  })
  return { note: lines.join('\n').trim(), found }
}

/**
 * A CSL-JSON object as a record of the official schema: what has a CSL variable is read as that
 * variable, the rest is kept under `custom` and reported.
 */
export function lenientCsl(source: Readonly<Record<string, unknown>>): ReadRecord {
  const extras: Extras = { notCarried: [], kept: {} }
  const renamed: Array<{ from: string; to: string }> = []
  const item: ParsedCsl = {}
  const custom: Record<string, unknown> = typeof source.custom === 'object' && source.custom !== null ? { ...source.custom } : {}
  for (const [field, value] of Object.entries(source)) {
    if (field === 'custom' || value === null || value === undefined) continue
    const variable = cslVariable(field)
    if (variable === undefined || variable in item) {
      custom[field] = value
      extras.notCarried.push({ field, reason: `not a CSL-JSON variable: kept under custom["${field}"]` })
      continue
    }
    if (variable !== field) renamed.push({ from: field, to: variable })
    item[variable] = shaped(variable, value, extras)
  }
  if (typeof item.note === 'string') {
    const { note, found } = noteVariables(item.note, item)
    for (const [from, variable, value] of found) {
      item[variable] = shaped(variable, NAMES.has(variable) ? value.split(/\s*;\s*/) : value, extras)
      renamed.push({ from: `note "${from}:"`, to: variable })
    }
    if (found.length > 0) {
      if (note === '') delete item.note
      else item.note = note
    }
  }
  if (typeof item.type === 'string' && !CSL_ITEM_TYPES.includes(item.type as never)) {
    const type = TYPES.get(folded(item.type))
    if (type === undefined) {
      custom.type = item.type
      extras.notCarried.push({ field: 'type', reason: `"${item.type}" is not a CSL type: read as document, kept under custom.type` })
      item.type = 'document'
    } else {
      renamed.push({ from: `type "${item.type}"`, to: type })
      item.type = type
    }
  }
  Object.assign(custom, extras.kept)
  if (Object.keys(custom).length > 0) item.custom = custom
  const key = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : undefined
  return { item, key, notCarried: extras.notCarried, renamed: renamed.length > 0 ? renamed : undefined }
}
