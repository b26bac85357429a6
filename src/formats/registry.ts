import type { Work } from '../catalogue/catalogue.js'
import { renderBibtex } from './bibtex.js'
import { cslJson } from './citation-js.js'
import type { CslRequest } from './csl/engines.js'
import type { CslRenderPool } from './csl/render-pool.js'
import { renderEndnote } from './endnote.js'
import { closest } from './csl/suggest.js'
import { UnknownOptionError } from './errors.js'
import { renderRis } from './ris.js'
import { renderSchemaOrg } from './schema-org.js'
import { dataciteGap, renderDataciteJson, renderDataciteXml } from './datacite.js'
import { renderDublinCore } from './dublin-core.js'
import { renderMods } from './mods.js'
import { PREFIXES, renderTurtle } from './rdf.js'
import { renderRdfXml } from './rdf-xml.js'

/** What a rendering needs beyond the works: the CSL style, locale and output, and who renders CSL. */
export interface RenderContext extends CslRequest {
  readonly renderer: CslRenderPool
  /** Aborted when nobody waits for the rendering any more: a CSL job still queued is then dropped. */
  readonly signal?: AbortSignal | undefined
}

/**
 * How a file of several works is put together, so that an export can be written piece by piece: a
 * rendering of two or more works is `headLines` lines, then the works' parts joined by `separator`,
 * then `tail`. Every piece is rendered as a file of its own and stripped of its head and tail.
 */
export interface FileJoints {
  readonly headLines: number
  readonly separator: string
  readonly tail: string
}

const CONCATENATED = (separator: string): FileJoints => ({ headLines: 0, separator, tail: '' })
const JSON_ARRAY: FileJoints = { headLines: 1, separator: ',\n', tail: '\n]\n' }
const xmlList = (root: string): FileJoints => ({ headLines: 2, separator: '\n', tail: `\n</${root}>\n` })

/** One citation format: its name, how HTTP names it, and how it is rendered. */
export interface Format {
  readonly name: string
  readonly summary: string
  /** The media types an `Accept` header selects it by, the preferred one first. */
  readonly mediaTypes: readonly [string, ...string[]]
  readonly extension: string
  /** Whether `style`, `locale` and `output` change the output. */
  readonly styled: boolean
  /** Why a work cannot be written in this format, for formats whose schema needs what a record may lack. */
  readonly gap?: (work: Work) => string | undefined
  /** How its files join, for formats that can be written in pieces (all but the CSL ones, which citeproc orders as a whole). */
  readonly joints?: FileJoints
  /**
   * Styled formats render in a worker thread, so they answer with a promise. `position` is the place
   * of the first work in the file, for formats that number what they write (RDF's blank nodes).
   */
  render(works: readonly Work[], context: RenderContext, position?: number): string | Promise<string>
}

const FORMAT_LIST = [
  {
    name: 'bibtex',
    summary: 'BibTeX entry, TeX-escaped, with abstract',
    mediaTypes: ['application/x-bibtex'],
    extension: 'bib',
    styled: false,
    joints: CONCATENATED('\n'),
    render: (works) => renderBibtex(works, 'bibtex'),
  },
  {
    name: 'biblatex',
    summary: 'BibLaTeX entry (UTF-8) with full dates and abstract',
    mediaTypes: ['application/x-biblatex'],
    extension: 'bib',
    styled: false,
    joints: CONCATENATED('\n'),
    render: (works) => renderBibtex(works, 'biblatex'),
  },
  {
    name: 'ris',
    summary: 'RIS record (tagged format of EndNote, Zotero, Mendeley)',
    mediaTypes: ['application/x-research-info-systems'],
    extension: 'ris',
    styled: false,
    joints: CONCATENATED('\r\n'),
    render: (works) => renderRis(works),
  },
  {
    name: 'endnote',
    summary: 'EndNote tagged record',
    mediaTypes: ['application/x-endnote-refer'],
    extension: 'enw',
    styled: false,
    joints: CONCATENATED('\n'),
    render: (works) => renderEndnote(works),
  },
  {
    name: 'csl-json',
    summary: 'CSL-JSON array, valid against the official CSL-JSON schema',
    mediaTypes: ['application/vnd.citationstyles.csl+json', 'application/citeproc+json'],
    extension: 'json',
    styled: false,
    joints: JSON_ARRAY,
    render: (works) => `${cslJson(works.map((work) => work.item))}\n`,
  },
  {
    name: 'schema-org',
    summary: 'schema.org JSON-LD (ScholarlyArticle for journal articles)',
    mediaTypes: ['application/ld+json', 'application/vnd.schemaorg.ld+json'],
    extension: 'jsonld',
    styled: false,
    joints: { headLines: 3, separator: ',\n', tail: '\n  ]\n}\n' },
    render: (works) => renderSchemaOrg(works),
  },
  {
    name: 'datacite-xml',
    summary: 'DataCite XML, Metadata Schema 4.7, valid against its XSD (needs a publication year)',
    mediaTypes: ['application/vnd.datacite.datacite+xml'],
    extension: 'xml',
    styled: false,
    gap: dataciteGap,
    joints: xmlList('resources'),
    render: (works) => renderDataciteXml(works),
  },
  {
    name: 'datacite-json',
    summary: 'DataCite JSON, the same metadata as DataCite XML (needs a publication year)',
    mediaTypes: ['application/vnd.datacite.datacite+json'],
    extension: 'json',
    styled: false,
    gap: dataciteGap,
    joints: JSON_ARRAY,
    render: (works) => renderDataciteJson(works),
  },
  {
    name: 'mods',
    summary: 'MODS 3 XML collection, as bibutils writes and reads it',
    mediaTypes: ['application/mods+xml'],
    extension: 'xml',
    styled: false,
    joints: xmlList('modsCollection'),
    render: (works) => renderMods(works),
  },
  {
    name: 'dublin-core',
    summary: 'Unqualified Dublin Core in the OAI-PMH oai_dc container',
    mediaTypes: ['application/x-oai-dc+xml'],
    extension: 'xml',
    styled: false,
    joints: xmlList('records'),
    render: (works) => renderDublinCore(works),
  },
  {
    name: 'turtle',
    summary: 'RDF in Turtle: DCTERMS, BIBO and FOAF, with the schema.org statements of the JSON-LD',
    mediaTypes: ['text/turtle'],
    extension: 'ttl',
    styled: false,
    // The prefix lines and the blank line after them.
    joints: { headLines: Object.keys(PREFIXES).length + 1, separator: '', tail: '' },
    render: (works, _context, position) => renderTurtle(works, position),
  },
  {
    name: 'rdf-xml',
    summary: 'RDF/XML: the same statements as the Turtle',
    mediaTypes: ['application/rdf+xml'],
    extension: 'rdf',
    styled: false,
    joints: xmlList('rdf:RDF'),
    render: (works, _context, position) => renderRdfXml(works, position),
  },
  {
    name: 'bibliography',
    summary: 'Formatted bibliography entries in a CSL style and locale, as plain text or HTML',
    mediaTypes: ['text/x-bibliography'],
    extension: 'txt',
    styled: true,
    render: (works, context) => context.renderer.render('bibliography', works, context, context.signal),
  },
  {
    name: 'citation',
    summary: 'In-text citation, such as "(Author, 2005)", in a CSL style and locale',
    mediaTypes: ['text/x-citation'],
    extension: 'txt',
    styled: true,
    render: (works, context) => context.renderer.render('citation', works, context, context.signal),
  },
] as const satisfies readonly Format[]

export const FORMATS: readonly Format[] = FORMAT_LIST

export type FormatName = (typeof FORMAT_LIST)[number]['name']
export type FormatMediaType = (typeof FORMAT_LIST)[number]['mediaTypes'][number]

export const FORMAT_NAMES = FORMAT_LIST.map((format) => format.name) as [FormatName, ...FormatName[]]

const formatByName = new Map<string, Format>(FORMATS.map((format) => [format.name, format]))

/** The other names clients give the formats (file extensions, spellings); matched in any case. */
export const FORMAT_ALIASES: Readonly<Record<string, FormatName>> = {
  bib: 'bibtex',
  enw: 'endnote',
  json: 'csl-json',
  csljson: 'csl-json',
  jsonld: 'schema-org',
  'json-ld': 'schema-org',
  schemaorg: 'schema-org',
  txt: 'bibliography',
  text: 'bibliography',
}

/** The registry name of a format asked for by name or alias, in any case. */
export function formatNameOf(name: string): FormatName | undefined {
  const wanted = name.trim().toLowerCase()
  const format = formatByName.get(wanted)
  return format !== undefined ? (format.name as FormatName) : FORMAT_ALIASES[wanted]
}

/** The format names closest to an unknown one. */
function closestFormats(name: string): string[] {
  return closest(name, [...FORMAT_NAMES, ...Object.keys(FORMAT_ALIASES)], 3)
}

/**
 * Why a format name is unknown, and what to ask for instead: a style given as a format (`apa`) is
 * pointed to `format=bibliography&style=…`. @param isStyle whether the name is a style's
 */
export function unknownFormat(name: string, isStyle: (name: string) => boolean): string {
  const wanted = name.trim().toLowerCase()
  if (isStyle(wanted)) return `"${name}" is a citation style, not a format: use format=bibliography&style=${wanted}`
  const near = closestFormats(name)
  return `unknown format "${name}"${near.length > 0 ? `; closest: ${near.join(', ')}` : ''}; formats: ${FORMAT_NAMES.join(', ')}`
}

/** @throws UnknownOptionError naming the closest formats */
export function getFormat(name: string): Format {
  const found = formatNameOf(name)
  const format = found !== undefined ? formatByName.get(found) : undefined
  if (!format) throw new UnknownOptionError('format', name, closestFormats(name))
  return format
}

/** The Content-Type a rendering is sent with: styled formats in HTML are text/html. */
export function contentType(format: Format, output: 'text' | 'html'): string {
  return `${format.styled && output === 'html' ? 'text/html' : format.mediaTypes[0]}; charset=utf-8`
}

/**
 * The file name a client should save a rendering under: a BibTeX-safe key and an extension, so it goes
 * into Content-Disposition quoted as it is, with no need for the content-disposition package's encoding.
 */
export function fileName(format: Format, output: 'text' | 'html', base: string): string {
  return `${base}.${format.styled && output === 'html' ? 'html' : format.extension}`
}
