import type { Work } from '../catalogue/catalogue.js'
import type { CslItem, CslName } from '../catalogue/schema.js'
import { bibtexAccents, bibtexCommandCharacters, bibtexEntries, bibtexTitleFields, type BibtexEntry } from './citation-js.js'
import { babelLanguage } from './babel-languages.js'
import { mapNames } from './names.js'
import { portableTex, protectEscapedCapitals } from './tex.js'

export type BibtexDialect = 'bibtex' | 'biblatex'

// BibTeX's own month macros: `month = feb`, unbraced, is what styles can sort and abbreviate.
const MONTH_MACROS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

// Characters that citation-js's escaper copies verbatim or writes as a TeX command.
const PLAIN = /^[a-zA-Z0-9\s!"'()*+,\-./:;=?@[\]&%$#_{}]$/

// Stand in for a character, or for a ligature break, while citation-js's escaper runs. Lower-case
// letters and digits only, so the escaper and its title-case bracing leave them alone.
const PLACEHOLDER = /qqcsu([0-9a-f]{1,6})qq/g
const LIGATURE_BREAK = 'qqcsbrkqq'

// TeX fonts join "--" into an en dash, "''" and "``" into quotes and ",," into a low quote; an
// empty group between two such characters keeps them as typed. citation-js itself writes "–" as
// "--", "—" as "---", "”" as "''" and "„" as ",,", so those count by the characters they become.
const LIGATURE_CHARACTER: Readonly<Record<string, string>> = {
  '-': '-',
  '–': '-',
  '—': '-',
  "'": "'",
  '”': "'",
  '`': '`',
  '“': '`',
  ',': ',',
  '„': ',',
}

// The non-ASCII characters citation-js writes as commands of plain LaTeX, which every reader decodes
// alike; for the rest (\SS, \Hwithstroke …) UTF-8 is the safer spelling.
const CLASSIC_TEX = 'æÆœŒøØåÅßłŁı“”‘’–—'

/**
 * Whether citation-js writes `character` as TeX that decodes back to it. It decomposes with NFKD,
 * which also folds "²" into "2", drops characters it has no command for (CJK), writes Greek and
 * symbols in math mode ($\\mu$, which readers take as math italic), and garbles stacked accents
 * ("Ắ") and modifier letters; all of those stay UTF-8 instead.
 */
function escapesFaithfully(character: string): boolean {
  const decomposed = character.normalize('NFD')
  if (character.normalize('NFKD') !== decomposed) return false
  const [base = '', ...accents] = decomposed
  if (accents.length > 1) return false
  if (accents.length === 1) return /^[A-Za-z]$/.test(base) && bibtexAccents.has(accents[0] as string)
  return PLAIN.test(base) || (bibtexCommandCharacters.has(base) && (base < '\u0080' || CLASSIC_TEX.includes(base)))
}

/**
 * Classic BibTeX is 8-bit, so its entries are ASCII wherever TeX can say the character; biber reads
 * UTF-8, so BibLaTeX entries keep every non-ASCII character as it is (as Better BibTeX does).
 */
function keepsAsUnicode(character: string, dialect: BibtexDialect): boolean {
  return dialect === 'biblatex' ? character > '\u007f' : !escapesFaithfully(character)
}

function protectText(text: string, dialect: BibtexDialect): string {
  let protectedText = ''
  let previous = ''
  for (const character of text.normalize('NFC')) {
    const ligature = LIGATURE_CHARACTER[character]
    if (ligature !== undefined && ligature === LIGATURE_CHARACTER[previous]) protectedText += LIGATURE_BREAK
    protectedText += keepsAsUnicode(character, dialect) ? `qqcsu${character.codePointAt(0)?.toString(16)}qq` : character
    previous = character
  }
  return protectedText
}

function protectStrings<T>(value: T, dialect: BibtexDialect): T {
  if (typeof value === 'string') return protectText(value, dialect) as T
  if (Array.isArray(value)) return value.map((inner: unknown) => protectStrings(inner, dialect)) as T
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, protectStrings(inner, dialect)])) as T
  }
  return value
}

/** Puts the protected characters back; in titles, capitals are braced so that styles keep them. */
function restoreText(text: string, isTitle: boolean): string {
  return text
    .replaceAll(LIGATURE_BREAK, '{}')
    .replace(PLACEHOLDER, (_, hex: string) => {
      const character = String.fromCodePoint(parseInt(hex, 16))
      return isTitle && character !== character.toLowerCase() ? `{${character}}` : character
    })
    .normalize('NFC')
}

/**
 * BibTeX has a single "von" part for particles, and citation-js drops the dropping particle
 * ("Ludwig van Beethoven" would lose "van"), so both particles go into the one it writes.
 */
function withDroppingParticleAsVon(name: CslName): CslName {
  const { 'dropping-particle': dropping, ...rest } = name
  if (!dropping) return name
  return { ...rest, 'non-dropping-particle': [dropping, rest['non-dropping-particle']].filter(Boolean).join(' ') }
}

// citation-js writes a review without its journal (BibTeX styles warn "empty journal"); a review
// is a journal article, as Zotero has it.
const MAPPED_AS: Readonly<Partial<Record<CslItem['type'], CslItem['type']>>> = {
  review: 'article-journal',
  'review-book': 'article-journal',
}

function prepare(item: CslItem, dialect: BibtexDialect): CslItem {
  const mapped = { ...item, type: MAPPED_AS[item.type] ?? item.type }
  return protectStrings(mapNames(mapped, withDroppingParticleAsVon), dialect)
}

function monthOf(item: CslItem): string | undefined {
  const month = Number(item.issued?.['date-parts']?.[0]?.[1])
  return MONTH_MACROS[month - 1]
}

/**
 * citation-js's BibTeX mapping keeps only classic fields, so it loses the abstract, keywords and
 * language that reference managers export, and writes the day into `month`. Those come from its
 * BibLaTeX mapping and the record's date instead.
 */
function repairBibtexFields(entry: BibtexEntry, biblatex: BibtexEntry | undefined): Record<string, string> {
  const { month: _dayAndMonth, ...properties } = entry.properties
  for (const field of ['abstract', 'keywords', 'language']) {
    const value = biblatex?.properties[field]
    if (value !== undefined) properties[field] = value
  }
  return properties
}

// biblatex drivers that print the `type` field, where a record's genre ("Technical report") belongs.
const PRINTS_TYPE = new Set(['report', 'thesis', 'manual', 'misc', 'patent'])

/**
 * biblatex's `language` is a printed list (a stray "en." after the title); the language of the
 * entry is `langid`, by babel name. citation-js writes the genre as `entrysubtype`, a field styles
 * use for their own keys, so it moves to `type` where drivers print that, and is dropped elsewhere.
 */
function repairBiblatexFields(entry: BibtexEntry, item: CslItem, type: string): Record<string, string> {
  const { language: _printed, entrysubtype: genre, ...properties } = entry.properties
  const langid = babelLanguage(item.language)
  return {
    ...properties,
    ...(genre !== undefined && PRINTS_TYPE.has(type) ? { type: genre } : {}),
    ...(langid === undefined ? {} : { langid }),
  }
}

// Types of biblatex's data model that its standard styles have no driver for: an entry of one of them
// is left out of the bibliography ("No driver for 'audio'"), so it is written as @misc.
const NO_STANDARD_DRIVER = new Set([
  'artwork',
  'audio',
  'image',
  'jurisdiction',
  'legal',
  'legislation',
  'letter',
  'movie',
  'music',
  'performance',
  'review',
  'standard',
  'video',
])

/**
 * Entry types where citation-js and the reference managers part: a chapter with its own title in a
 * book is `@incollection` (classic styles ignore `booktitle` in `@inbook`), a thesis is
 * `@phdthesis` or `@mastersthesis`, not `@misc`; in BibLaTeX a book with editors only is a
 * `@collection`, and `@inbook` is kept for a chapter of a book by the chapter's own author.
 */
function entryType(item: CslItem, citationJsType: string, dialect: BibtexDialect): string {
  const hasAuthors = (item.author?.length ?? 0) > 0
  if (dialect === 'bibtex') {
    if (item.type === 'chapter') return 'incollection'
    if (item.type === 'thesis') return /master/i.test(item.genre ?? '') ? 'mastersthesis' : 'phdthesis'
    return citationJsType
  }
  if (item.type === 'chapter') return (item['container-author']?.length ?? 0) > 0 ? 'inbook' : 'incollection'
  if (item.type === 'book' && !hasAuthors && (item.editor?.length ?? 0) > 0) return 'collection'
  return NO_STANDARD_DRIVER.has(citationJsType) ? 'misc' : citationJsType
}

// BibTeX reads a line break as a space, but line-based readers (Zotero guesses a file's format from
// its first lines) take a value's lines for their own: values are written on one line.
const LINE_BREAKS = /\s*[\r\n\u2028\u2029]+\s*/g

function finishField(field: string, value: string): string {
  const isTitle = bibtexTitleFields.has(field)
  const tex = portableTex(value).replace(LINE_BREAKS, ' ')
  return restoreText(isTitle ? protectEscapedCapitals(tex) : tex, isTitle)
}

function serialize(type: string, key: string, fields: Readonly<Record<string, string>>, month: string | undefined): string {
  const lines = Object.entries(fields).map(([field, value]) => `\t${field} = {${finishField(field, value)}},\n`)
  // A month macro is written unbraced, so that styles can abbreviate and sort it.
  if (month !== undefined) lines.push(`\tmonth = ${month},\n`)
  return `@${type}{${key},\n${lines.join('')}}\n`
}

/** BibTeX or BibLaTeX for the works, one entry each, keyed by the catalogue's unique citation keys. */
export function renderBibtex(works: readonly Work[], dialect: BibtexDialect): string {
  const items = works.map((work) => prepare(work.item, dialect))
  const entries = bibtexEntries(items, dialect)
  const biblatexEntries = dialect === 'bibtex' ? bibtexEntries(items, 'biblatex') : []
  return entries
    .map((entry, index) => {
      const work = works[index] as Work
      const type = entryType(work.item, entry.type, dialect)
      if (dialect === 'biblatex') return serialize(type, work.key, repairBiblatexFields(entry, work.item, type), undefined)
      return serialize(type, work.key, repairBibtexFields(entry, biblatexEntries[index]), monthOf(work.item))
    })
    .join('\n')
}
