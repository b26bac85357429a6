import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { catalogueOf, richItem, seed } from '../fixtures/works.js'

describe('Catalogue', () => {
  const catalogue = catalogueOf(seed, richItem, {
    id: 3,
    type: 'book',
    title: 'Müller on cancer',
    author: [{ family: 'Ng', given: 'Wei' }],
  })

  it('finds works by id, numeric ids as strings', () => {
    expect(catalogue.find('interleukin-2-in-cancer-2005')?.item).toEqual(seed)
    expect(catalogue.find('3')?.id).toBe('3')
    expect(catalogue.find('nope')).toBeUndefined()
  })

  it('finds works by DOI in any case and in its usual spellings', () => {
    for (const doi of [
      '10.1234/ABC.def',
      '10.1234/abc.DEF',
      'doi:10.1234/abc.def',
      'https://doi.org/10.1234/abc.def',
      'http://dx.doi.org/10.1234/ABC.DEF',
    ]) {
      expect(catalogue.find(doi)?.id, doi).toBe('berg-2020-fish')
    }
  })

  it('pages through all works without a query', () => {
    expect(catalogue.page(undefined, 0, 2)).toMatchObject({
      total: 3,
      works: [{ id: 'interleukin-2-in-cancer-2005' }, { id: 'berg-2020-fish' }],
    })
    expect(catalogue.page(undefined, 2, 2).works.map((work) => work.id)).toEqual(['3'])
    expect(catalogue.page(undefined, 9, 2)).toEqual({ total: 3, works: [] })
  })

  it('searches title, abstract and names, every word, ignoring case and accents', () => {
    const ids = (query: string) => catalogue.page(query, 0, 10).works.map((work) => work.id)
    expect(ids('cancer')).toEqual(['interleukin-2-in-cancer-2005', '3'])
    expect(ids('CANCER muller')).toEqual(['3'])
    expect(ids('melanoma')).toEqual(['interleukin-2-in-cancer-2005'])
    expect(ids('beethoven')).toEqual(['berg-2020-fish'])
    expect(ids('wei ng')).toEqual(['3'])
    expect(ids('cancer absent-word')).toEqual([])
    expect(catalogue.page('cancer', 1, 10)).toMatchObject({ total: 2, works: [{ id: '3' }] })
  })

  it('gives every work a BibTeX-safe citation key, unique even when ids sanitise alike', () => {
    const items: CslItem[] = [
      { id: 'smith 2020', type: 'book' },
      { id: 'smith{2020}', type: 'book' },
      { id: 'smith-2020', type: 'book' },
      { id: 'Łódź', type: 'book', 'citation-key': 'lodz2019' },
      { id: '東京', type: 'book' },
    ]
    const keys = catalogueOf(...items).works.map((work) => work.key)
    expect(new Set(keys).size).toBe(keys.length)
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_.:+-]+$/)
    expect(keys[3]).toBe('lodz2019')
  })

  it('keeps an id that is a BibTeX-safe key as its key, and makes one of any other id', () => {
    // The keys the service derives, spelt out: NFKD, accents dropped, unsafe runs to "-", no "-" at either end.
    const slowKey = (id: string) =>
      id
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .replace(/[^A-Za-z0-9_.:+-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'work'
    const id = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_.:+-]{1,12}$/),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('-', 'a', '-a', 'a-', 'a-b', 'Łódź', 'é', 'x y', ''),
    )
    fc.assert(
      fc.property(id, (value) => {
        fc.pre(value !== '')
        expect(catalogueOf({ id: value, type: 'book' }).works[0]?.key).toBe(slowKey(value))
      }),
      { seed: 3, numRuns: 500 },
    )
  })
})
