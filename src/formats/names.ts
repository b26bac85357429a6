import { CSL_NAME_VARIABLES, type CslItem, type CslName } from '../catalogue/schema.js'

/** The item with `transform` applied to every name of every name variable. */
export function mapNames(item: CslItem, transform: (name: CslName) => CslName): CslItem {
  const mapped: CslItem = { ...item }
  for (const variable of CSL_NAME_VARIABLES) {
    const names = item[variable]
    if (names) mapped[variable] = names.map(transform)
  }
  return mapped
}

/**
 * For tagged formats that write "Family, Given": the non-dropping particle joins the family name,
 * the dropping one the given names ("van der Berg, Jan"; "Beethoven, Ludwig van"), as Zotero does.
 * citation-js's RIS and EndNote mappings drop particles altogether.
 */
export function withParticlesFolded(name: CslName): CslName {
  const { 'non-dropping-particle': nonDropping, 'dropping-particle': dropping, ...rest } = name
  if (rest.family === undefined) return rest
  return {
    ...rest,
    family: [nonDropping, rest.family].filter(Boolean).join(' '),
    ...(dropping ? { given: [rest.given, dropping].filter(Boolean).join(' ') } : {}),
  }
}

/** "Family, Given, Suffix" with particles folded, or the literal name, as tagged formats write names. */
export function invertedName(name: CslName): string {
  const folded = withParticlesFolded(name)
  if (folded.family === undefined) return folded.literal ?? folded.given ?? ''
  return [folded.family, folded.given, folded.suffix].filter(Boolean).join(', ')
}
