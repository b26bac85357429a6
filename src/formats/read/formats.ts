import { bibtexImport } from './bibtex.js'
import { crossrefImport } from './crossref.js'
import { cslJsonImport } from './csl-json.js'
import { dataciteImport } from './datacite.js'
import { endnoteImport } from './endnote.js'
import type { ImportFormat } from './reader.js'
import { risImport } from './ris.js'

/** The formats records are imported from, in the order detection tries them: the most specific first. */
const IMPORT_FORMATS: readonly ImportFormat[] = [crossrefImport, dataciteImport, cslJsonImport, risImport, endnoteImport, bibtexImport]

export const IMPORT_FORMAT_NAMES: readonly string[] = IMPORT_FORMATS.map(({ name }) => name)

/** The import format a name or alias (`--from`) means. */
export function importFormat(name: string): ImportFormat | undefined {
  const wanted = name.toLowerCase()
  return IMPORT_FORMATS.find((format) => format.name === wanted || format.aliases.includes(wanted))
}

/** The format the start of a stream is in, when it is one of them. */
export function detectImportFormat(head: string): ImportFormat | undefined {
  const text = head.replace(/^\uFEFF/, '')
  return IMPORT_FORMATS.find((format) => format.looksLike(text))
}

/** Every media type a format is imported from, each once. */
export const IMPORT_MEDIA_TYPES: readonly string[] = IMPORT_FORMATS.flatMap(({ mediaTypes }) => mediaTypes)

/** The import format of a media type (without its parameters, any case). */
export function importFormatOfMediaType(mediaType: string): ImportFormat | undefined {
  const wanted = mediaType.toLowerCase()
  return IMPORT_FORMATS.find((format) => format.mediaTypes.includes(wanted))
}
