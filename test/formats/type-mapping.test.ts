import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { parse as parseRis } from 'astrocite-ris'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { typeMappings, typeTable } from '../../scripts/type-table.js'
import { CSL_ITEM_TYPES, type CslItem } from '../../src/catalogue/schema.js'
import { renderPlain } from '../fixtures/csl.js'
import { worksOf } from '../fixtures/works.js'

const mappings = await typeMappings()
const formatsDoc = readFileSync(new URL('../../docs/formats.md', import.meta.url), 'utf8')

describe('type mapping', () => {
  it('covers every CSL item type, and docs/formats.md shows it (run `npm run type-table` to refresh)', () => {
    expect(mappings.map((mapping) => mapping.csl)).toEqual([...CSL_ITEM_TYPES])
    expect(formatsDoc).toContain(typeTable(mappings))
  })

  it.each(mappings)('$csl → @$bibtex, @$biblatex, $ris, read back by independent parsers', ({ csl, bibtex, biblatex, ris }) => {
    const item = {
      id: `a-${csl}`,
      type: csl as CslItem['type'],
      title: 'A title',
      author: [{ family: 'Berg', given: 'Jan' }],
      issued: { 'date-parts': [[2001]] },
    }
    const works = worksOf(item)
    for (const [format, expected] of [
      ['bibtex', bibtex],
      ['biblatex', biblatex],
    ] as const) {
      const { entries, errors } = parseBibtex(renderPlain(format, works))
      expect(errors).toEqual([])
      expect(entries.map((entry) => entry.type)).toEqual([expected])
      expect(entries[0]?.fields.title).toBe('A title')
    }
    const text = renderPlain('ris', works)
    expect(text.startsWith(`TY  - ${ris}\r\n`)).toBe(true)
    expect(parseRis(text)).toMatchObject([{ title: 'A title', id: `a-${csl}` }])
  })
})
