import type { Work } from '../catalogue/catalogue.js'
import type { CslName } from '../catalogue/schema.js'
import { enwRecords } from './citation-js.js'
import { oneLine } from './line-records.js'
import { mapNames, withParticlesFolded } from './names.js'

/** EndNote writes "Family, Given, Suffix"; citation-js writes BibTeX's "Family, Suffix, Given". */
function suffixLast(name: CslName): CslName {
  const { suffix, ...rest } = withParticlesFolded(name)
  return suffix ? { ...rest, given: [rest.given, suffix].filter(Boolean).join(', ') } : rest
}

/** EndNote tagged format (.enw): `%0 Journal Article`, then one `%X value` line per value. */
export function renderEndnote(works: readonly Work[]): string {
  return enwRecords(works.map((work) => mapNames(work.item, suffixLast)))
    .map(({ fields }) => {
      const { 0: type, ...tags } = fields
      const lines = [`%0 ${oneLine(String(type))}`]
      for (const [tag, values] of Object.entries(tags)) {
        for (const value of [values].flat()) lines.push(`%${tag} ${oneLine(value)}`)
      }
      return `${lines.join('\n')}\n`
    })
    .join('\n')
}
