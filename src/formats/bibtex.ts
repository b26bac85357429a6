import type { Work } from '../catalogue/catalogue.js'
import type { CslItem, CslName } from '../catalogue/schema.js'
import { bibtexAccents, bibtexCommandCharacters, bibtexEntries, bibtexTitleFields, type BibtexEntry } from './citation-js.js'
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

function prepare(item: CslItem, dialect: BibtexDialect): CslItem {
  return protectStrings(mapNames(item, withDroppingParticleAsVon), dialect)
}

function monthOf(item: CslItem): string | undefined {
  const month = Number(item.issued?.['date-parts']?.[0]?.[1])
  return MONTH_MACROS[month - 1]
}

/**
 * citation-js's BibTeX mapping keeps only classic fields, so it loses the abstract and keywords that
 * reference managers export, and writes the day into `month`. Those come from its BibLaTeX mapping
 * and the record's date instead.
 */
function repairBibtexFields(entry: BibtexEntry, biblatex: BibtexEntry | undefined): Record<string, string> {
  const { month: _dayAndMonth, ...properties } = entry.properties
  for (const field of ['abstract', 'keywords']) {
    const value = biblatex?.properties[field]
    if (value !== undefined) properties[field] = value
  }
  return properties
}

function finishField(field: string, value: string): string {
  const isTitle = bibtexTitleFields.has(field)
  const tex = portableTex(value)
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
      if (dialect === 'biblatex') return serialize(entry.type, work.key, entry.properties, undefined)
      return serialize(entry.type, work.key, repairBibtexFields(entry, biblatexEntries[index]), monthOf(work.item))
    })
    .join('\n')
}
