import { parse } from 'astrocite-ris'
import { describe, expect, it } from 'vitest'
import { renderRis } from '../../src/formats/ris.js'
import { awkwardAbstract, worksOf, richItem, seed } from '../fixtures/works.js'

// astrocite-ris is an independent PEG parser of RIS into CSL-JSON.
const lines = (ris: string) => ris.split('\r\n').slice(0, -1)
const whitespaceFolded = (text: string) => text.replace(/\s+/g, ' ').trim()

describe('RIS', () => {
  it('renders the seed record as exactly one record with every field', () => {
    const ris = renderRis(worksOf(seed))
    const records = parse(ris)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      type: 'article-journal',
      title: 'Interleukin-2 in cancer',
      abstract: seed.abstract,
      page: '273-285',
      issued: { 'date-parts': [['2005', '02', '24']] },
    })
    expect(ris.startsWith('TY  - JOUR\r\n')).toBe(true)
    expect(ris.endsWith('ER  - \r\n')).toBe(true)
  })

  it('puts the page range into SP and EP', () => {
    const ris = renderRis(worksOf(seed))
    expect(lines(ris)).toEqual(expect.arrayContaining(['SP  - 273', 'EP  - 285']))
  })

  it('writes every line as a tag line: no hard wrap, no line breaks from the record', () => {
    for (const line of lines(renderRis(worksOf(seed, richItem)))) {
      expect(line).toMatch(/^(?:[A-Z][A-Z0-9] {2}- .*|)$/)
    }
  })

  it('cannot be split by text that looks like a record end', () => {
    const ris = renderRis(worksOf(richItem))
    const records = parse(ris)
    expect(records).toHaveLength(1)
    // RIS cannot carry a line break inside a value: each becomes a space.
    expect(whitespaceFolded(records[0]?.abstract ?? '')).toBe(whitespaceFolded(awkwardAbstract))
    expect(lines(ris).filter((line) => line.startsWith('ER  -'))).toHaveLength(1)
  })

  it('keeps the whole id, the DOI, the journal, volume and issue', () => {
    const long = { ...richItem, id: 'a-record-id-much-longer-than-twenty-characters' }
    const [record] = parse(renderRis(worksOf(long)))
    expect(record).toMatchObject({
      id: long.id,
      DOI: '10.1234/ABC.def',
      'container-title': 'Journal of Awkward Text',
      volume: '12',
      issue: '3',
      title: richItem.title,
    })
  })

  it('keeps a DOI that ends with a full stop or comma whole, and drops its URL prefix', () => {
    for (const DOI of ['10.1234/abc.', '10.1234/x,', 'https://doi.org/10.1234/Ends.With.Dot.']) {
      const [record] = parse(renderRis(worksOf({ ...seed, DOI })))
      expect(record?.DOI).toBe(DOI.replace('https://doi.org/', ''))
    }
  })

  it('keeps name particles, suffixes and organisations', () => {
    const ris = renderRis(worksOf(richItem))
    const [record] = parse(ris)
    expect(record?.author?.[0]).toEqual({ family: 'Berg', given: 'Jan', 'non-dropping-particle': 'van der' })
    expect(record?.author?.[1]).toEqual({ family: 'Beethoven', given: 'Ludwig van' })
    // RIS writes "Family, Given, Suffix" and an organisation as it is, without a comma; astrocite
    // reads names by BibTeX's rules instead ("Family, Suffix, Given", "Given Family"), so these two
    // are checked on the lines themselves, and by bibutils in the Debian suite.
    expect(lines(ris)).toContain('AU  - Smith, John, Jr.')
    expect(lines(ris)).toContain('AU  - WHO Consortium')
  })

  it('separates several records and keeps each one whole', () => {
    const records = parse(renderRis(worksOf(seed, richItem)))
    expect(records.map((record) => record.id)).toEqual(['interleukin-2-in-cancer-2005', 'berg-2020-fish'])
  })
})
