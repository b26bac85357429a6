import type { ImportFormat, ReadOutcome } from './reader.js'
import { isObject, readJson } from './json.js'
import { lenientCsl } from './lenient-csl.js'

// Crossref's REST API describes a work in a dialect of CSL-JSON: most fields are CSL variables, some
// are lists where CSL has one value, and the types are Crossref's own.
const CROSSREF_TYPES: Readonly<Record<string, string>> = {
  'journal-article': 'article-journal',
  'book-chapter': 'chapter',
  'book-section': 'chapter',
  'book-part': 'chapter',
  'proceedings-article': 'paper-conference',
  'posted-content': 'article',
  dissertation: 'thesis',
  'report-component': 'report',
  monograph: 'book',
  'edited-book': 'book',
  'reference-book': 'book',
  'book-set': 'book',
  'book-series': 'book',
  proceedings: 'book',
  'reference-entry': 'entry',
  'peer-review': 'review',
  journal: 'periodical',
  'journal-issue': 'periodical',
  'journal-volume': 'periodical',
  database: 'dataset',
  component: 'document',
  other: 'document',
}

/** JATS markup of Crossref abstracts (`<jats:p>`): the text stays, paragraphs become line breaks. */
function plainAbstract(jats: string): string {
  return jats
    .replace(/<\/jats:p>\s*<jats:p[^>]*>/g, '\n')
    .replace(/<\/?jats:[^>]*>/g, '')
    .trim()
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value]
}

/** One Crossref work as the CSL-JSON its fields mean. */
function cslOf(work: Record<string, unknown>): Record<string, unknown> {
  const { title, subtitle, type, subject, abstract, 'short-container-title': short, 'publisher-location': place, ...rest } = work
  const [main, ...otherTitles] = asList(title)
  const sub = asList(subtitle)[0]
  return {
    ...rest,
    ...(main === undefined ? {} : { title: typeof main === 'string' && typeof sub === 'string' && sub !== '' ? `${main}: ${sub}` : main }),
    ...(otherTitles.length > 0 ? { 'other-titles': otherTitles } : {}),
    ...(asList(subtitle).length > 1 ? { subtitles: asList(subtitle).slice(1) } : {}),
    ...(typeof type === 'string' ? { type: CROSSREF_TYPES[type] ?? type } : {}),
    ...(subject === undefined ? {} : { keyword: asList(subject).join(', ') }),
    ...(typeof abstract === 'string' ? { abstract: plainAbstract(abstract) } : {}),
    ...(short === undefined ? {} : { 'container-title-short': short }),
    ...(place === undefined ? {} : { 'publisher-place': place }),
  }
}

function read(value: unknown): ReadOutcome[] {
  if (Array.isArray(value)) return value.flatMap(read)
  if (!isObject(value)) return [{ error: 'a Crossref work must be a JSON object' }]
  const message = value.message
  if (isObject(message)) return Array.isArray(message.items) ? message.items.flatMap(read) : read(message)
  return [lenientCsl(cslOf(value))]
}

export const crossrefImport: ImportFormat = {
  name: 'crossref',
  aliases: [],
  // Crossref's REST API answers application/json, which is also any other JSON: no media type says Crossref.
  mediaTypes: [],
  syntax: 'json',
  looksLike: (head) => /"message-type"\s*:\s*"work(?:-list)?"/.test(head),
  reader: () => ({ read: (texts) => readJson(texts, read) }),
}
