import { describe, expect, it } from 'vitest'
import { richItem, seed } from '../fixtures/works.js'
import { render, run } from './tools.js'

// bibutils converts RIS and BibTeX into MODS XML with parsers of its own.
const records = (mods: string) => mods.match(/<mods ID="[^"]*">[\s\S]*?<\/mods>/g) ?? []
const nameParts = (mods: string) =>
  [...mods.matchAll(/<namePart(?: type="(\w+)")?>([^<]*)<\/namePart>/g)].map(([, type, part]) => `${type ?? 'literal'}:${part}`)

describe('bibutils ris2xml reads citeserve’s RIS', () => {
  const mods = run('ris2xml', [], render('ris', seed, richItem))
  const [seedRecord, richRecord] = records(mods)

  it('as exactly two records, however the text tries to end one early', () => {
    expect(records(mods)).toHaveLength(2)
    expect(mods).toContain('<mods ID="interleukin-2-in-cancer-2005">')
    expect(mods).toContain('<mods ID="berg-2020-fish">')
  })

  it('with the seed’s title, date, pages and abstract', () => {
    expect(seedRecord).toContain('<title>Interleukin-2 in cancer</title>')
    expect(seedRecord).toContain('<dateIssued>2005-02-24</dateIssued>')
    expect(seedRecord).toMatch(/<start>273<\/start>\s*<end>285<\/end>/)
    expect(seedRecord).toContain(`<abstract>${seed.abstract}</abstract>`)
  })

  it('with particles, suffixes and DOI', () => {
    expect(nameParts(richRecord ?? '')).toEqual(expect.arrayContaining(['family:van der Berg', 'given:Jan', 'family:Smith', 'suffix:Jr.']))
    expect(richRecord).toContain('<identifier type="doi">10.1234/ABC.def</identifier>')
  })
})

describe('bibutils bib2xml reads citeserve’s BibTeX', () => {
  const mods = run('bib2xml', [], render('bibtex', seed, richItem))
  const [seedRecord, richRecord] = records(mods)

  it('as exactly two records with the seed’s title and pages', () => {
    expect(records(mods)).toHaveLength(2)
    expect(seedRecord).toContain('<title>Interleukin-2 in cancer</title>')
    expect(seedRecord).toMatch(/<start>273<\/start>\s*<end>285<\/end>/)
  })

  it('with every name in the right part, the organisation whole', () => {
    expect(nameParts(richRecord ?? '')).toEqual([
      'given:Jan',
      'family:van der Berg',
      'given:Ludwig',
      'family:van Beethoven',
      'given:John',
      'family:Smith',
      'suffix:Jr.',
      'literal:WHO Consortium',
    ])
  })
})

describe('bibutils end2xml reads citeserve’s EndNote tagged format', () => {
  const mods = run('end2xml', [], render('endnote', seed, richItem))
  const [seedRecord, richRecord] = records(mods)

  it('as exactly two records with titles, pages and the journal', () => {
    expect(records(mods)).toHaveLength(2)
    expect(seedRecord).toContain('<title>Interleukin-2 in cancer</title>')
    expect(seedRecord).toMatch(/<start>273<\/start>\s*<end>285<\/end>/)
    expect(richRecord).toContain('<title>Journal of Awkward Text</title>')
  })

  it('with particles and suffixes in the right parts', () => {
    expect(nameParts(richRecord ?? '')).toEqual(
      expect.arrayContaining(['given:Jan', 'family:van der Berg', 'family:Beethoven', 'family:Smith', 'suffix:Jr.']),
    )
  })
})
