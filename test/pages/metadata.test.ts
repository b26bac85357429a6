import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { attribute, byClass, byTag, citationMeta, parseHtml, textOf } from '../fixtures/html.js'
import { appWith, richItem, seed } from '../fixtures/works.js'

// What Zotero's connector and Google Scholar read from a landing page, checked against the records.

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const book: CslItem = {
  id: 'a-book',
  type: 'book',
  title: 'A book of things',
  author: [{ family: 'Doe', given: 'Jane' }],
  publisher: 'Example Press',
  'publisher-place': 'Oslo',
  ISBN: '978-3-16-148410-0',
  issued: { 'date-parts': [[1999]] },
}

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed, richItem, book)
})
afterAll(() => app.close())

async function pageOf(id: string) {
  const response = await app.inject({ url: `/works/${encodeURIComponent(id)}`, headers: { accept: BROWSER } })
  expect(response.statusCode).toBe(200)
  return parseHtml(response.body)
}

describe('Highwire Press citation_* meta tags', () => {
  it('carry every field of the rich record, authors in order as "Family, Given", and nothing else', async () => {
    expect(citationMeta(await pageOf(richItem.id as string))).toEqual([
      ['citation_title', richItem.title],
      ['citation_author', 'van der Berg, Jan'],
      ['citation_author', 'Beethoven, Ludwig van'],
      ['citation_author', 'Smith, John, Jr.'],
      ['citation_author', 'WHO Consortium'],
      ['citation_publication_date', '2020/05/07'],
      ['citation_journal_title', 'Journal of Awkward Text'],
      ['citation_volume', '12'],
      ['citation_issue', '3'],
      ['citation_firstpage', '100'],
      ['citation_lastpage', '110'],
      ['citation_doi', '10.1234/ABC.def'],
      ['citation_abstract', richItem.abstract],
      ['citation_language', 'en'],
    ])
  })

  it('leave out what the seed record lacks: no author, journal, volume, issue or DOI tag', async () => {
    expect(citationMeta(await pageOf(seed.id as string))).toEqual([
      ['citation_title', 'Interleukin-2 in cancer'],
      ['citation_publication_date', '2005/02/24'],
      ['citation_firstpage', '273'],
      ['citation_lastpage', '285'],
      ['citation_abstract', seed.abstract],
      ['citation_language', 'en'],
    ])
  })

  it('name publisher and ISBN for a book, with a year-only date', async () => {
    expect(citationMeta(await pageOf('a-book'))).toEqual([
      ['citation_title', 'A book of things'],
      ['citation_author', 'Doe, Jane'],
      ['citation_publication_date', '1999'],
      ['citation_isbn', '978-3-16-148410-0'],
      ['citation_publisher', 'Example Press'],
    ])
  })
})

describe('schema.org JSON-LD', () => {
  for (const item of [seed, richItem, book]) {
    it(`is the schema-org format of ${item.id}, in one data block`, async () => {
      const page = await pageOf(item.id as string)
      const blocks = byTag(page, 'script').filter((script) => attribute(script, 'type') === 'application/ld+json')
      expect(blocks).toHaveLength(1)
      const embedded = JSON.parse(textOf(blocks[0] as never)) as Record<string, unknown>
      const served = await app.inject(`/works/${encodeURIComponent(item.id)}/citation?format=schema-org`)
      expect(embedded).toEqual(served.json())
      expect(embedded).toMatchObject({ '@context': 'https://schema.org', name: item.title })
    })
  }

  it('names the authors in order, and the DOI as @id', async () => {
    const page = await pageOf(richItem.id as string)
    const block = byTag(page, 'script').find((script) => attribute(script, 'type') === 'application/ld+json')
    const node = JSON.parse(textOf(block as never)) as { '@id': string; author: Array<{ name: string }> }
    expect(node['@id']).toBe('https://doi.org/10.1234/ABC.def')
    expect(node.author.map((author) => author.name)).toEqual([
      'Jan van der Berg',
      'Ludwig van Beethoven',
      'John Smith Jr.',
      'WHO Consortium',
    ])
  })
})

describe('COinS', () => {
  async function contextObject(id: string): Promise<URLSearchParams> {
    const spans = byClass(await pageOf(id), 'Z3988')
    expect(spans).toHaveLength(1)
    expect(spans[0]?.tagName).toBe('span')
    return new URLSearchParams(attribute(spans[0] as never, 'title'))
  }

  it('describe a journal article in the journal format of OpenURL 1.0 (Z39.88-2004)', async () => {
    const kev = await contextObject(richItem.id as string)
    expect(kev.get('ctx_ver')).toBe('Z39.88-2004')
    expect(kev.get('rft_val_fmt')).toBe('info:ofi/fmt:kev:mtx:journal')
    expect(kev.get('rft_id')).toBe('info:doi/10.1234/ABC.def')
    expect(kev.get('rft.genre')).toBe('article')
    expect(kev.get('rft.atitle')).toBe(richItem.title)
    expect(kev.get('rft.jtitle')).toBe('Journal of Awkward Text')
    expect(kev.getAll('rft.au')).toEqual(['van der Berg, Jan', 'Beethoven, Ludwig van', 'Smith, John, Jr.', 'WHO Consortium'])
    expect(kev.get('rft.date')).toBe('2020-05-07')
    expect([kev.get('rft.volume'), kev.get('rft.issue'), kev.get('rft.spage'), kev.get('rft.epage'), kev.get('rft.pages')]).toEqual([
      '12',
      '3',
      '100',
      '110',
      '100-110',
    ])
    expect(kev.has('rft.btitle')).toBe(false)
  })

  it('leave out what the seed lacks', async () => {
    const kev = await contextObject(seed.id as string)
    expect(kev.get('rft.atitle')).toBe('Interleukin-2 in cancer')
    for (const key of ['rft_id', 'rft.au', 'rft.jtitle', 'rft.volume', 'rft.issue']) expect(kev.has(key), key).toBe(false)
    expect(kev.get('rft.date')).toBe('2005-02-24')
  })

  it('describe a book in the book format', async () => {
    const kev = await contextObject('a-book')
    expect(Object.fromEntries(kev)).toEqual({
      ctx_ver: 'Z39.88-2004',
      rft_val_fmt: 'info:ofi/fmt:kev:mtx:book',
      rfr_id: 'info:sid/citeserve',
      'rft.genre': 'book',
      'rft.btitle': 'A book of things',
      'rft.au': 'Doe, Jane',
      'rft.date': '1999',
      'rft.isbn': '978-3-16-148410-0',
      'rft.pub': 'Example Press',
      'rft.place': 'Oslo',
    })
  })
})
