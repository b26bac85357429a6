import type { Work } from '../catalogue/catalogue.js'
import { appendDataciteResource, DATACITE_NAMESPACE, DATACITE_SCHEMA, dataciteGap } from '../formats/datacite.js'
import { dublinCoreRecord, OAI_DC_NAMESPACE, OAI_DC_SCHEMA } from '../formats/dublin-core.js'
import { appendMods, MODS_NAMESPACE, MODS_SCHEMA } from '../formats/mods.js'
import { xmlFragment } from '../formats/xml.js'

/** A metadata format the repository disseminates, by its OAI-PMH metadataPrefix. */
export interface OaiMetadataFormat {
  readonly prefix: string
  readonly schema: string
  readonly namespace: string
  /** The work's record, the root element of its schema, as text. */
  write(work: Work): string
  /** Why a work cannot be given in this format, if it cannot. */
  gap?(work: Work): string | undefined
}

export const OAI_METADATA_FORMATS: readonly OaiMetadataFormat[] = [
  { prefix: 'oai_dc', schema: OAI_DC_SCHEMA, namespace: OAI_DC_NAMESPACE, write: dublinCoreRecord },
  {
    prefix: 'mods',
    schema: MODS_SCHEMA,
    namespace: MODS_NAMESPACE,
    write: (work) => xmlFragment((parent) => appendMods(parent, work, true)),
  },
  {
    prefix: 'datacite',
    schema: DATACITE_SCHEMA,
    namespace: DATACITE_NAMESPACE,
    write: (work) => xmlFragment((parent) => appendDataciteResource(parent, work, false)),
    gap: dataciteGap,
  },
]

export function oaiMetadataFormat(prefix: string): OaiMetadataFormat | undefined {
  return OAI_METADATA_FORMATS.find((format) => format.prefix === prefix)
}
