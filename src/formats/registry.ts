import type { Work } from '../catalogue/catalogue.js'
import { renderBibliography, type BibliographyOptions } from './bibliography.js'
import { renderBibtex } from './bibtex.js'
import { cslJson } from './citation-js.js'
import { UnknownOptionError } from './errors.js'
import { renderRis } from './ris.js'

export type RenderOptions = BibliographyOptions

/** One citation format: its name, how HTTP names it, and how it is rendered. */
export interface Format {
  readonly name: string
  readonly summary: string
  /** The media type an `Accept` header selects it by, first the preferred one. */
  readonly mediaTypes: readonly [string, ...string[]]
  readonly extension: string
  /** Whether `style` and `locale` change the output. */
  readonly styled: boolean
  contentType(options: RenderOptions): string
  render(works: readonly Work[], options: RenderOptions): string
}

function fixedType(mediaType: string): () => string {
  return () => `${mediaType}; charset=utf-8`
}

export const FORMATS = [
  {
    name: 'bibtex',
    summary: 'BibTeX entry, TeX-escaped, with abstract',
    mediaTypes: ['application/x-bibtex'],
    extension: 'bib',
    styled: false,
    contentType: fixedType('application/x-bibtex'),
    render: (works) => renderBibtex(works, 'bibtex'),
  },
  {
    name: 'biblatex',
    summary: 'BibLaTeX entry with full dates and abstract',
    mediaTypes: ['application/x-biblatex'],
    extension: 'bib',
    styled: false,
    contentType: fixedType('application/x-biblatex'),
    render: (works) => renderBibtex(works, 'biblatex'),
  },
  {
    name: 'ris',
    summary: 'RIS record (tagged format of EndNote, Zotero, Mendeley)',
    mediaTypes: ['application/x-research-info-systems'],
    extension: 'ris',
    styled: false,
    contentType: fixedType('application/x-research-info-systems'),
    render: (works) => renderRis(works),
  },
  {
    name: 'csl-json',
    summary: 'CSL-JSON array, valid against the official CSL-JSON schema',
    mediaTypes: ['application/vnd.citationstyles.csl+json', 'application/citeproc+json'],
    extension: 'json',
    styled: false,
    contentType: fixedType('application/vnd.citationstyles.csl+json'),
    render: (works) => `${cslJson(works.map((work) => work.item))}\n`,
  },
  {
    name: 'bibliography',
    summary: 'Formatted bibliography entry in a CSL style and locale, as plain text or HTML',
    mediaTypes: ['text/x-bibliography'],
    extension: 'txt',
    styled: true,
    contentType: ({ output }) => (output === 'html' ? 'text/html; charset=utf-8' : 'text/x-bibliography; charset=utf-8'),
    render: renderBibliography,
  },
] as const satisfies readonly Format[]

export type FormatName = (typeof FORMATS)[number]['name']

export const FORMAT_NAMES = FORMATS.map((format) => format.name) as [FormatName, ...FormatName[]]

const formatByName = new Map<string, Format>(FORMATS.map((format) => [format.name, format]))

export function getFormat(name: string): Format {
  const format = formatByName.get(name)
  if (!format) throw new UnknownOptionError('format', name, FORMAT_NAMES)
  return format
}

/** The file name a client should save a rendering under. */
export function fileName(format: Format, options: RenderOptions, base: string): string {
  const extension = format.styled && options.output === 'html' ? 'html' : format.extension
  return `${base}.${extension}`
}
