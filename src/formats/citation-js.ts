// The one module that imports citation-js. Everything else reaches it through these typed functions,
// which hand it deep copies: citation-js and citeproc annotate the items they are given.
import { plugins } from '@citation-js/core'
import '@citation-js/plugin-bibtex'
import '@citation-js/plugin-csl'
import '@citation-js/plugin-enw'
import '@citation-js/plugin-ris'
import type { CslItem } from '../catalogue/schema.js'
import type { BuiltinCsl } from './csl/library.js'

/** An entry as citation-js's BibTeX mappings produce it, values already escaped for TeX. */
export interface BibtexEntry {
  type: string
  label: string
  properties: Record<string, string>
}

/** A RIS record as citation-js maps it: tag to one value or several. */
export type RisRecord = Record<string, string | string[]>

/** An EndNote tagged record as citation-js maps it: tag (without %) to one value or several. */
export interface EnwRecord {
  fields: Record<string, string | string[]>
}

/** The CSL styles citation-js bundles: their official id, and the template name it registers them under. */
const BUILTIN_STYLES = [
  { id: 'apa', template: 'apa' },
  { id: 'vancouver', template: 'vancouver' },
  { id: 'harvard-cite-them-right', template: 'harvard1' },
] as const

/** The ids of the styles that are always there, whatever is installed. */
export const BUILTIN_STYLE_IDS: readonly string[] = BUILTIN_STYLES.map(({ id }) => id)

/** The CSL locales citation-js bundles. */
const BUILTIN_LOCALES = ['en-US', 'de-DE', 'es-ES', 'fr-FR', 'nl-NL'] as const

interface Register {
  get(name: string): string
}

const cslConfig = plugins.config.get('@csl') as { styles: Register; locales: Register }

/** The bundled styles (by official id) and locales as XML. */
export function builtinCsl(): BuiltinCsl {
  return {
    styles: new Map(BUILTIN_STYLES.map(({ id, template }) => [id, cslConfig.styles.get(template)])),
    locales: new Map(BUILTIN_LOCALES.map((id) => [id, cslConfig.locales.get(id)])),
  }
}

function copies(items: readonly CslItem[]): CslItem[] {
  return items.map((item) => structuredClone(item))
}

export function bibtexEntries(items: readonly CslItem[], dialect: 'bibtex' | 'biblatex'): BibtexEntry[] {
  return plugins.output.format(dialect, copies(items), { format: 'object' }) as BibtexEntry[]
}

export function risRecords(items: readonly CslItem[]): RisRecord[] {
  return plugins.output.format('ris', copies(items), { format: 'object' }) as RisRecord[]
}

export function enwRecords(items: readonly CslItem[]): EnwRecord[] {
  return plugins.output.format('enw', copies(items), { format: 'object' }) as EnwRecord[]
}

export function cslJson(items: readonly CslItem[]): string {
  return plugins.output.format('data', copies(items), { format: 'text' }) as string
}

interface BibtexConstants {
  commands: Record<string, string>
  diacritics: Record<string, string>
  ligatures: Record<string, string>
  /** Field name to [list kind, value kind]. */
  fieldTypes: Record<string, [string, string]>
}

const bibtexConstants = (plugins.config.get('@bibtex') as { constants: BibtexConstants }).constants

/**
 * The characters citation-js's BibTeX escaping writes as TeX text commands (\\AE, \\ss, --). It
 * silently drops every other non-ASCII character (CJK, for instance), so the BibTeX renderer must
 * protect those itself.
 */
export const bibtexCommandCharacters: ReadonlySet<string> = new Set(
  [bibtexConstants.commands, bibtexConstants.ligatures].flatMap((table) => Object.values(table)),
)

/** The combining accents it writes as TeX accent commands (\\' \\" \\v …). */
export const bibtexAccents: ReadonlySet<string> = new Set(Object.values(bibtexConstants.diacritics))

/** The fields citation-js formats as titles, bracing capitalised words against case changes. */
export const bibtexTitleFields: ReadonlySet<string> = new Set(
  Object.entries(bibtexConstants.fieldTypes)
    .filter(([, [, valueType]]) => valueType === 'title')
    .map(([field]) => field),
)

/** A CSL-JSON object as citation-js's input plugins produce it, not yet validated. */
export type ParsedCsl = Record<string, unknown>

/**
 * The entries of BibTeX or BibLaTeX text, with @string macros expanded and values still in TeX.
 * Parsed by format name, never by guessing: citation-js's guessing would fetch a URL it was given.
 */
export function bibtexTextEntries(text: string): BibtexEntry[] {
  return plugins.input.chainLink(text, { forceType: '@biblatex/text' }) as BibtexEntry[]
}

/** CSL for BibLaTeX entries (TeX values), through citation-js's BibLaTeX mapping; crossrefs resolve among `entries`. */
export function cslFromBibtexEntries(entries: readonly BibtexEntry[]): ParsedCsl[] {
  // The values are strings: a copy of each entry and its properties is a deep copy, and far cheaper than structuredClone.
  const copies = entries.map((entry) => ({ ...entry, properties: { ...entry.properties } }))
  return plugins.input.chainLink(copies, { forceType: '@biblatex/entries+list' }) as ParsedCsl[]
}

/** CSL for one RIS record, through citation-js's RIS mapping (old and new tags). */
export function cslFromRisRecord(record: RisRecord): ParsedCsl {
  // The values are strings and lists of strings: a copy of the lists is a deep copy, and far cheaper than structuredClone.
  const copy = Object.fromEntries(Object.entries(record).map(([tag, value]) => [tag, Array.isArray(value) ? [...value] : value]))
  return plugins.input.chainLink(copy, { forceType: '@ris/record' }) as ParsedCsl
}

/** CSL for one EndNote tagged record, through citation-js's EndNote mapping. */
export function cslFromEnwRecord(record: EnwRecord): ParsedCsl {
  return plugins.input.chainLink({ scheme: 'enw', fields: structuredClone(record.fields) }, { forceType: '@enw/record' }) as ParsedCsl
}
