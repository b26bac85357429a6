import { parse } from '@retorquere/bibtex-parser'
import { describe, expect, it } from 'vitest'
import { renderBibtex } from '../../src/formats/bibtex.js'
import { awkwardAbstract, worksOf, richItem, seed } from '../fixtures/works.js'

// @retorquere/bibtex-parser (the parser of Better BibTeX for Zotero) decodes TeX back into Unicode,
// so what it reads must equal the record.
// Compared in NFC: the parser writes "é" decomposed, which is the same text.
function parsed(bibtex: string) {
  const result = parse(bibtex)
  expect(result.errors).toEqual([])
  return JSON.parse(JSON.stringify(result.entries).normalize('NFC')) as typeof result.entries
}

const whitespaceFolded = (text: string) => text.replace(/\s+/g, ' ').trim()

describe.each(['bibtex', 'biblatex'] as const)('%s', (dialect) => {
  it('renders the seed record, which has no authors, as one valid entry', () => {
    const text = renderBibtex(worksOf(seed), dialect)
    const [entry, ...others] = parsed(text)
    expect(others).toEqual([])
    expect(entry?.type).toBe('article')
    expect(entry?.key).toBe('interleukin-2-in-cancer-2005')
    expect(entry?.fields.title).toBe('Interleukin-2 in cancer')
    expect(entry?.fields.pages).toBe('273–285')
    expect(entry?.fields.abstract).toBe(seed.abstract)
    expect(entry?.fields).not.toHaveProperty('author')
  })

  it('keeps awkward text, names with particles and suffixes, and the DOI intact', () => {
    const [entry] = parsed(renderBibtex(worksOf(richItem), dialect))
    expect(entry?.fields.title).toBe(richItem.title)
    expect(entry?.fields.abstract).toBe(whitespaceFolded(awkwardAbstract))
    expect(entry?.fields.doi).toBe('10.1234/ABC.def')
    expect(entry?.fields.author).toEqual([
      { lastName: 'Berg', firstName: 'Jan', prefix: 'van der' },
      { lastName: 'Beethoven', firstName: 'Ludwig', prefix: 'van' },
      { lastName: 'Smith', firstName: 'John', suffix: 'Jr.' },
      { name: 'WHO Consortium' },
    ])
  })

  it('keeps characters citation-js has no TeX for, such as CJK', () => {
    const item = { id: 'cjk', type: 'book' as const, title: '東京の研究 ² Ωmega', author: [{ family: '山田', given: '太郎' }] }
    const [entry] = parsed(renderBibtex(worksOf(item), dialect))
    expect(entry?.fields.title).toBe(item.title)
    expect(entry?.fields.author).toEqual([{ lastName: '山田', firstName: '太郎' }])
  })

  it('gives records with the same author, year and title different keys', () => {
    const twin = { ...richItem, DOI: '10.1234/other' }
    const text = renderBibtex(
      worksOf(richItem, { ...twin, id: 'berg 2020 fish' }, { ...twin, id: 'berg{2020}fish', DOI: '10.1/3' }),
      dialect,
    )
    const keys = parsed(text).map((entry) => entry.key)
    expect(keys).toHaveLength(3)
    expect(new Set(keys).size).toBe(3)
  })
})

describe('bibtex specifically', () => {
  it('writes the month as a BibTeX macro, without the day', () => {
    const text = renderBibtex(worksOf(seed), 'bibtex')
    expect(text).toMatch(/^\tmonth = feb,$/m)
    expect(text).not.toContain('feb 24')
    expect(parsed(text)[0]?.fields.month).toBe('2')
  })

  it('keeps the abstract citation-js drops', () => {
    expect(renderBibtex(worksOf(seed), 'bibtex')).toMatch(/^\tabstract = \{The development of recombinant/m)
  })
})

describe('biblatex specifically', () => {
  it('writes the full date, and the language as langid by babel name, never as a printed field', () => {
    const [entry] = parsed(renderBibtex(worksOf(seed), 'biblatex'))
    expect(entry?.fields.date).toBe('2005-02-24')
    expect(entry?.fields.langid).toBe('english')
    expect(entry?.fields).not.toHaveProperty('language')
    // A genre is no entrysubtype, which styles read as their own keys.
    expect(entry?.fields).not.toHaveProperty('entrysubtype')
  })
})
