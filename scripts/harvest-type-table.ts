// Prints how each CSL item type maps to the harvesting formats (`npx tsx scripts/harvest-type-table.ts`).
// docs/formats-harvesting.md holds its output; test/debian/harvest-formats.test.ts checks each row
// against what the formats write, read back by xmllint and rapper, and fails when the doc differs.
import { CSL_ITEM_TYPES } from '../src/catalogue/schema.js'
import { DATACITE_TYPES } from '../src/formats/datacite.js'
import { DCMI_TYPES } from '../src/formats/dublin-core.js'
import { modsGenre } from '../src/formats/mods.js'
import { BIBO_TYPES } from '../src/formats/rdf.js'

export interface HarvestTypeMapping {
  readonly csl: string
  readonly datacite: string
  readonly mods: string
  readonly dcmi: string
  readonly bibo: string
}

export const harvestTypeMappings: readonly HarvestTypeMapping[] = CSL_ITEM_TYPES.map((type) => ({
  csl: type,
  datacite: DATACITE_TYPES[type] ?? 'Text',
  mods: modsGenre(type).genre,
  dcmi: DCMI_TYPES[type] ?? 'Text',
  bibo: BIBO_TYPES[type] ?? 'Document',
}))

export function harvestTypeTable(mappings: readonly HarvestTypeMapping[] = harvestTypeMappings): string {
  const rows = mappings.map(
    ({ csl, datacite, mods, dcmi, bibo }) => `| \`${csl}\` | \`${datacite}\` | ${mods} | \`${dcmi}\` | \`bibo:${bibo}\` |`,
  )
  return [
    '| CSL type | DataCite `resourceTypeGeneral` | MODS `genre` | Dublin Core `type` (DCMI) | RDF class |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${harvestTypeTable()}\n`)
}
