// Prints the table of how each CSL item type maps to BibTeX, BibLaTeX, RIS and EndNote (`npm run type-table`).
// docs/formats.md holds its output; test/formats/type-mapping.test.ts fails when the two differ.
import { worksOf } from '../src/catalogue/catalogue.js'
import { CSL_ITEM_TYPES } from '../src/catalogue/schema.js'
import { getFormat } from '../src/formats/registry.js'
import { openCslServices } from '../src/formats/csl/services.js'

export interface TypeMapping {
  readonly csl: string
  readonly bibtex: string
  readonly biblatex: string
  readonly ris: string
  readonly endnote: string
}

export async function typeMappings(): Promise<TypeMapping[]> {
  const csl = await openCslServices({ styleDirectories: [], localeDirectories: [], engines: 1, workers: 1 })
  const context = {
    style: csl.library.resolveStyle('apa'),
    locale: csl.library.resolveLocale('en-US'),
    output: 'text' as const,
    renderer: csl.renderer,
  }
  const mappings: TypeMapping[] = []
  for (const type of CSL_ITEM_TYPES) {
    const works = worksOf([{ id: 'x', type, title: 'T' }])
    // BibTeX, BibLaTeX and RIS render in this thread; awaiting costs nothing and keeps the types honest.
    const entryType = async (format: string) => /^@(\w+)\{/.exec(await getFormat(format).render(works, context))?.[1] ?? '?'
    const ris = /^TY {2}- (\w+)/.exec(await getFormat('ris').render(works, context))?.[1] ?? '?'
    const endnote = /^%0 (.+)$/m.exec(await getFormat('endnote').render(works, context))?.[1] ?? '?'
    mappings.push({ csl: type, bibtex: await entryType('bibtex'), biblatex: await entryType('biblatex'), ris, endnote })
  }
  return mappings
}

export function typeTable(mappings: readonly TypeMapping[]): string {
  const rows = mappings.map(
    ({ csl, bibtex, biblatex, ris, endnote }) => `| \`${csl}\` | \`@${bibtex}\` | \`@${biblatex}\` | \`${ris}\` | ${endnote} |`,
  )
  return ['| CSL type | BibTeX | BibLaTeX | RIS `TY` | EndNote `%0` |', '| --- | --- | --- | --- | --- |', ...rows].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${typeTable(await typeMappings())}\n`)
}
