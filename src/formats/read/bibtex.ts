import { bibtexTextEntries, cslFromBibtexEntries, type BibtexEntry, type ParsedCsl } from '../citation-js.js'
import { lenientCsl } from './lenient-csl.js'
import { IgnoredFields } from './not-carried.js'
import { keepingUncarried, type ImportFormat, type NotCarried, type ReadOutcome, type RecordReader } from './reader.js'

// biblatex's starred commands (\enquote*, \mkbibquote*) are the nested variant of the same command;
// citation-js's TeX reader stops at the star, so it reads the unstarred one.
const STARRED_COMMAND = /(\\[A-Za-z]+)\*(?=\s*\{)/g

// Fields that name other entries: carried by what they bring in from those entries.
const LINKS = new Set(['crossref', 'xref'])

const NOT_MAPPED = 'no CSL variable for this field: kept under custom.bibtex'
const UNREADABLE_TEX = 'TeX that could not be read: kept as written under custom.bibtex'
const NOT_A_DATE = 'not a date in biblatex’s ISO 8601 form: kept as written under custom.bibtex'

/**
 * citation-js reads biblatex's lists (`location = {Berlin and New York}`) as arrays, and leaves some
 * as arrays where CSL has one string: they are joined as CSL styles print lists of places.
 */
function joinedLists(item: ParsedCsl): ParsedCsl {
  return Object.fromEntries(
    Object.entries(item).map(([variable, value]) => [
      variable,
      Array.isArray(value) && value.every((part) => typeof part === 'string') && !['categories'].includes(variable)
        ? value.join('; ')
        : value,
    ]),
  )
}

// citation-js writes a comma below (Ș, Ț) as \textcommabelow, which its own TeX reader does not know.
const COMMA_BELOW = /\{\\textcommabelow\s*\{?([A-Za-z])\}?\}|\\textcommabelow\s*\{([A-Za-z])\}/g

// biblatex's own hyphenation commands, which citation-js does not know.
const BIBLATEX_HYPHENS = /\\(nb)?hyphen(?![A-Za-z])\s?/g

function readableValue(value: string): string {
  // Every replacement below starts at a backslash, which most values have none of.
  if (!value.includes('\\')) return value
  return value
    .replace(STARRED_COMMAND, '$1')
    .replace(BIBLATEX_HYPHENS, (_, unbreakable: string | undefined) => (unbreakable === undefined ? '-' : '\u2011'))
    .replace(COMMA_BELOW, (_, braced: string | undefined, argument: string | undefined) =>
      `${braced ?? argument ?? ''}\u0326`.normalize('NFC'),
    )
}

// biblatex's date fields are ISO 8601 (with ranges and its extensions); citation-js turns anything
// else ("15/05/84") into a date that is not one, so such a value is set aside, and year and month count.
const DATE_FIELDS = new Set(['date', 'urldate', 'origdate', 'eventdate'])
const ISO_LIKE = /^\s*[-+]?\d{3,}[-\d/~?%XTu:.+ ]*$/

function readableTex(entry: BibtexEntry, setAside: Record<string, string>): BibtexEntry {
  const properties: Record<string, string> = {}
  for (const [field, value] of Object.entries(entry.properties)) {
    if (DATE_FIELDS.has(field) && !ISO_LIKE.test(String(value))) setAside[field] = String(value)
    else properties[field] = readableValue(String(value))
  }
  return { ...entry, properties }
}

/** The CSL variables whose text still holds a TeX command that citation-js left as it was written. */
function leftoverCommands(item: ParsedCsl): Array<[string, string]> {
  return Object.entries(item).flatMap(([variable, value]): Array<[string, string]> => {
    const command = typeof value === 'string' ? /\\[A-Za-z]+/.exec(value)?.[0] : undefined
    return command === undefined ? [] : [[variable, command]]
  })
}

function without(entry: BibtexEntry, field: string): BibtexEntry {
  const { [field]: _left, ...properties } = entry.properties
  return { ...entry, properties }
}

function mapOne(entry: BibtexEntry): ParsedCsl {
  return cslFromBibtexEntries([entry])[0] as ParsedCsl
}

/** The fields of an entry whose TeX citation-js cannot read, each tried alone. */
function unreadableFields(entry: BibtexEntry): string[] {
  return Object.keys(entry.properties).filter((field) => {
    try {
      mapOne({ ...entry, properties: { [field]: entry.properties[field] as string } })
      return false
    } catch {
      return true
    }
  })
}

function isDefinition(text: string): 'string' | 'other' | undefined {
  const kind = /^\s*@\s*(\w+)/.exec(text)?.[1]?.toLowerCase()
  if (kind === 'string') return 'string'
  return kind === 'comment' || kind === 'preamble' ? 'other' : undefined
}

class BibtexReader implements RecordReader {
  /** The @string definitions so far, put before every batch so that later entries can use them. */
  private macros = ''
  /** The values set aside from each entry as it is read, by the entry read. */
  private readonly setAside = new WeakMap<BibtexEntry, Record<string, string>>()
  private readonly ignored = new IgnoredFields<BibtexEntry>(
    mapOne,
    (entry) => Object.keys(entry.properties).filter((field) => !LINKS.has(field)),
    without,
    (entry) => `${entry.type}|${Object.keys(entry.properties).sort().join(',')}|${entry.properties.eprinttype ?? ''}`,
    (entry, field) => entry.properties[field],
  )

  read(texts: readonly string[]): ReadOutcome[] {
    const entryTexts: string[] = []
    for (const text of texts) {
      const definition = isDefinition(text)
      if (definition === 'string') this.macros += `${text}\n`
      else if (definition === undefined) entryTexts.push(text)
    }
    if (entryTexts.length === 0) return []
    let entries: BibtexEntry[]
    try {
      entries = bibtexTextEntries(this.macros + entryTexts.join('\n'))
    } catch {
      return entryTexts.flatMap((text) => this.readAlone(text))
    }
    return this.mapped(entries.map((entry) => this.readable(entry)))
  }

  private readable(entry: BibtexEntry): BibtexEntry {
    const setAside: Record<string, string> = {}
    const readable = readableTex(entry, setAside)
    this.setAside.set(readable, setAside)
    return readable
  }

  /** An entry that broke its batch, read on its own so that only it is refused. */
  private readAlone(text: string): ReadOutcome[] {
    try {
      return this.mapped(bibtexTextEntries(this.macros + text).map((entry) => this.readable(entry)))
    } catch (error) {
      const key = /^\s*@\s*\w+\s*[{(]\s*([^,\s]*)/.exec(text)?.[1]
      return [{ error: `${key ? `entry ${key}: ` : ''}not BibTeX: ${(error as Error).message.split('\n')[0] ?? ''}` }]
    }
  }

  private mapped(entries: readonly BibtexEntry[]): ReadOutcome[] {
    let items: ParsedCsl[]
    try {
      items = cslFromBibtexEntries(entries)
    } catch {
      return entries.map((entry) => this.mappedAlone(entry, entries))
    }
    const labels = new Set(entries.map((entry) => entry.label))
    return entries.map((entry, index) => this.outcome(entry, items[index] as ParsedCsl, labels, []))
  }

  /** An entry whose TeX broke its batch: the fields that cannot be read are kept as written. */
  private mappedAlone(entry: BibtexEntry, batch: readonly BibtexEntry[]): ReadOutcome {
    const unreadable = unreadableFields(entry)
    const readable = unreadable.reduce(without, entry)
    try {
      const parents = batch.filter((other) => other !== entry && other.label === entry.properties.crossref)
      const item = cslFromBibtexEntries([readable, ...parents])[0] as ParsedCsl
      return this.outcome(entry, item, new Set(batch.map((other) => other.label)), unreadable)
    } catch (error) {
      return { error: `entry ${entry.label}: ${(error as Error).message.split('\n')[0] ?? ''}` }
    }
  }

  private outcome(entry: BibtexEntry, item: ParsedCsl, labels: ReadonlySet<string>, unreadable: readonly string[]): ReadOutcome {
    const notCarried: NotCarried[] = unreadable.map((field) => ({ field, reason: UNREADABLE_TEX }))
    const setAside = this.setAside.get(entry) ?? {}
    for (const field of Object.keys(setAside)) notCarried.push({ field, reason: NOT_A_DATE })
    const readable = unreadable.reduce(without, entry)
    for (const field of this.ignored.of(readable, item)) notCarried.push({ field, reason: NOT_MAPPED })
    for (const field of LINKS) {
      const target = entry.properties[field]
      if (target !== undefined && !labels.has(target))
        notCarried.push({ field, reason: `names entry ${target}, which is not among the entries read with it` })
    }
    for (const [variable, command] of leftoverCommands(item))
      notCarried.push({ field: variable, reason: `TeX command ${command} not understood: kept as written` })
    const kept: Record<string, string> = {}
    for (const { field } of notCarried) {
      const value = entry.properties[field] ?? setAside[field]
      if (value !== undefined) kept[field] = value
    }
    const lenient = lenientCsl(keepingUncarried(joinedLists(item), 'bibtex', kept))
    return { ...lenient, key: entry.label, notCarried: [...notCarried, ...lenient.notCarried] }
  }
}

export const bibtexImport: ImportFormat = {
  name: 'bibtex',
  aliases: ['biblatex', 'bib'],
  mediaTypes: ['application/x-bibtex', 'application/x-biblatex', 'text/x-bibtex'],
  syntax: 'bibtex',
  readsSlowly: true,
  looksLike: (head) => /^\s*(?:%[^\n]*\n\s*)*@\s*[A-Za-z]+\s*[{(]/.test(head) || /^@\s*[A-Za-z]+\s*[{(]/m.test(head),
  reader: () => new BibtexReader(),
}
