import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileStore } from '../../src/catalogue/file-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { loadConfig } from '../../src/config.js'
import { RECORDS_PER_PAGE } from '../../src/oai/repository.js'
import { testApp } from '../fixtures/app.js'
import { richItem, seed } from '../fixtures/works.js'

const MODIFIED = new Date('2024-03-05T10:20:30.456Z')
const books: CslItem[] = Array.from({ length: RECORDS_PER_PAGE + 100 }, (_, index) => ({
  id: `book-${index}`,
  type: 'book',
  title: `Volume ${index}`,
  issued: { 'date-parts': [[2000 + (index % 20)]] },
}))
const undated: CslItem = { id: 'undated note/1', type: 'report', title: 'An undated note' }
const items = [seed, richItem, undated, ...books]

const config = loadConfig({ PUBLIC_URL: 'https://cite.example.org/' })
let app: FastifyInstance

beforeAll(async () => {
  app = await testApp({ store: await FileStore.fromItems(items, MODIFIED), config })
  await app.ready()
})
afterAll(() => app.close())

const oai = async (query: string, on = app) => (await on.inject(`/oai?${query}`)).body
const errorCode = (xml: string) => /<error code="(\w+)">/.exec(xml)?.[1]
const identifiers = (xml: string) => [...xml.matchAll(/<identifier>([^<]*)<\/identifier>/g)].map(([, id]) => id as string)
const token = (xml: string) => /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(xml)?.[1]

/** Every identifier of a list, following resumption tokens to the end. */
async function wholeList(verb: string, query: string, on = app, betweenPages: () => Promise<unknown> = async () => {}): Promise<string[]> {
  const all: string[] = []
  let xml = await oai(`verb=${verb}&${query}`, on)
  for (;;) {
    expect(errorCode(xml)).toBeUndefined()
    all.push(...identifiers(xml))
    const next = token(xml)
    if (next === undefined) return all
    await betweenPages()
    xml = await oai(`verb=${verb}&resumptionToken=${next}`, on)
  }
}

describe('OAI-PMH', () => {
  it('identifies itself with PUBLIC_URL, the catalogue datestamp and no deleted records', async () => {
    const response = await app.inject('/oai?verb=Identify')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8')
    expect(response.body).toContain('<baseURL>https://cite.example.org/oai</baseURL>')
    expect(response.body).toContain('<earliestDatestamp>2024-03-05T10:20:30Z</earliestDatestamp>')
    expect(response.body).toContain('<deletedRecord>no</deletedRecord>')
  })

  it('lists oai_dc, mods and datacite, and only what a record can be given in', async () => {
    expect([...(await oai('verb=ListMetadataFormats')).matchAll(/<metadataPrefix>(\w+)</g)].map(([, p]) => p)).toEqual([
      'oai_dc',
      'mods',
      'datacite',
    ])
    const forUndated = await oai(`verb=ListMetadataFormats&identifier=${encodeURIComponent('oai:cite.example.org:undated%20note%2F1')}`)
    expect([...forUndated.matchAll(/<metadataPrefix>(\w+)</g)].map(([, p]) => p)).toEqual(['oai_dc', 'mods'])
  })

  it('lists the whole catalogue by resumption token, each record once, in every format', async () => {
    const expected = items.map((item) => `oai:cite.example.org:${encodeURIComponent(String(item.id))}`)
    expect(await wholeList('ListIdentifiers', 'metadataPrefix=oai_dc')).toEqual(expected)
    expect(await wholeList('ListRecords', 'metadataPrefix=mods')).toEqual(expected)
    expect(await wholeList('ListRecords', 'metadataPrefix=datacite')).toEqual(expected.filter((id) => !id.includes('undated')))
  })

  it('states the list size (where every work can be given) and the cursor in each token, and ends with an empty one', async () => {
    const first = await oai('verb=ListRecords&metadataPrefix=oai_dc')
    expect(first).toMatch(new RegExp(`<resumptionToken completeListSize="${items.length}" cursor="0">`))
    const last = await oai(`verb=ListRecords&resumptionToken=${token(first)}`)
    expect(last).toContain(`<resumptionToken completeListSize="${items.length}" cursor="${RECORDS_PER_PAGE}"/>`)
    const datacite = await oai('verb=ListRecords&metadataPrefix=datacite')
    expect(datacite).toMatch(/<resumptionToken cursor="0">/)
  })

  it('gives sets by CSL type', async () => {
    expect([...(await oai('verb=ListSets')).matchAll(/<setSpec>([^<]+)</g)].map(([, s]) => s)).toEqual([
      'article-journal',
      'book',
      'report',
    ])
    expect(await wholeList('ListIdentifiers', 'metadataPrefix=oai_dc&set=report')).toEqual(['oai:cite.example.org:undated%20note%2F1'])
  })

  it('selects by datestamp, by day or by second', async () => {
    expect(await wholeList('ListIdentifiers', 'metadataPrefix=oai_dc&from=2024-03-05&until=2024-03-05')).toHaveLength(items.length)
    expect(await wholeList('ListIdentifiers', 'metadataPrefix=oai_dc&from=2024-03-05T10:20:30Z')).toHaveLength(items.length)
    expect(errorCode(await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-03-05T10:20:31Z'))).toBe('noRecordsMatch')
    expect(errorCode(await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&until=2024-03-04'))).toBe('noRecordsMatch')
  })

  it('gets one record by its identifier', async () => {
    const xml = await oai('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:cite.example.org:berg-2020-fish')
    expect(xml).toContain('<dc:title>Fish &amp; chips: 100% {braces} and \\backslashes in Ærø café</dc:title>')
    expect(xml).toContain('<request verb="GetRecord" metadataPrefix="oai_dc" identifier="oai:cite.example.org:berg-2020-fish">')
  })

  it('takes its arguments as a form by POST', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/oai',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'verb=GetRecord&metadataPrefix=mods&identifier=oai%3Acite.example.org%3Aberg-2020-fish',
    })
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<mods xmlns="http://www.loc.gov/mods/v3" ID="berg-2020-fish">')
  })

  it.each([
    ['', 'badVerb'],
    ['verb=Explode', 'badVerb'],
    ['verb=Identify&verb=Identify', 'badVerb'],
    ['verb=Identify&extra=1', 'badArgument'],
    ['verb=ListRecords', 'badArgument'],
    ['verb=GetRecord&identifier=oai:cite.example.org:berg-2020-fish', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=mods', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-12-31T00:00:00Z', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2025-01-01&until=2024-01-01', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x', 'badArgument'],
    ['verb=ListRecords&resumptionToken=not-a-token', 'badResumptionToken'],
    ['verb=ListSets&resumptionToken=anything', 'badResumptionToken'],
    ['verb=ListRecords&metadataPrefix=marc21', 'cannotDisseminateFormat'],
    ['verb=GetRecord&metadataPrefix=datacite&identifier=oai:cite.example.org:undated%2520note%252F1', 'cannotDisseminateFormat'],
    ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:cite.example.org:nothing', 'idDoesNotExist'],
    ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:berg-2020-fish', 'idDoesNotExist'],
    ['verb=ListMetadataFormats&identifier=oai:cite.example.org:nothing', 'idDoesNotExist'],
    ['verb=ListRecords&metadataPrefix=oai_dc&set=thesis', 'noRecordsMatch'],
  ])('answers %s with %s, in an answer of status 200', async (query, code) => {
    const response = await app.inject(`/oai?${query}`)
    expect(response.statusCode).toBe(200)
    expect(errorCode(response.body)).toBe(code)
    if (code === 'badVerb' || code === 'badArgument') expect(response.body).toContain('<request>https://cite.example.org/oai</request>')
  })

  it('resumes a list after its last record, so that writes between pages neither skip nor repeat a record', async () => {
    const store = await FileStore.fromItems(items, MODIFIED)
    const changing = await testApp({ store, config })
    const added = { id: 'added-later', type: 'book' as const, title: 'Added between pages' }
    let writes = 0
    const changed = { ...(books[550] as CslItem), title: 'Changed between pages' }
    const list = await wholeList('ListRecords', 'metadataPrefix=oai_dc', changing, () =>
      writes++ === 0
        ? store.write([
            { kind: 'delete', id: 'undated note/1' },
            { kind: 'put', item: changed },
            { kind: 'put', item: added },
          ])
        : Promise.resolve(),
    )
    await changing.close()
    expect(writes).toBe(1)
    // The undated note was on the first page; the changed work keeps its place; the added one comes last.
    const expected = items.map((item) => `oai:cite.example.org:${encodeURIComponent(String(item.id))}`)
    expect(list).toEqual([...expected, 'oai:cite.example.org:added-later'])
  })

  it('dates each record by its own change, and selects by it', async () => {
    const store = await FileStore.fromItems(items, MODIFIED)
    const changing = await testApp({ store, config })
    const [outcome] = await store.write([{ kind: 'put', item: { ...richItem, title: 'Changed' } }])
    if (outcome?.outcome !== 'replaced') throw new Error('the work was not replaced')
    const { work } = outcome
    const stamp = `${work.modified.toISOString().slice(0, 19)}Z`
    const record = await oai('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:cite.example.org:berg-2020-fish', changing)
    expect(record).toContain(`<datestamp>${stamp}</datestamp>`)
    expect(
      await oai('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:cite.example.org:interleukin-2-in-cancer-2005', changing),
    ).toContain('<datestamp>2024-03-05T10:20:30Z</datestamp>')
    expect(await wholeList('ListIdentifiers', `metadataPrefix=oai_dc&from=${stamp}`, changing)).toEqual([
      'oai:cite.example.org:berg-2020-fish',
    ])
    expect(await wholeList('ListIdentifiers', 'metadataPrefix=oai_dc&until=2024-03-05T10:20:30Z', changing)).toHaveLength(items.length - 1)
    expect(await oai('verb=Identify', changing)).toContain('<earliestDatestamp>2024-03-05T10:20:30Z</earliestDatestamp>')
    await changing.close()
  })
})

describe('sitemaps', () => {
  it('index one sitemap of every landing page, with its time of change', async () => {
    const index = (await app.inject('/sitemap.xml')).body
    expect([...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map(([, loc]) => loc)).toEqual(['https://cite.example.org/sitemap-1.xml'])
    const sitemap = await app.inject('/sitemap-1.xml')
    expect(sitemap.headers['content-type']).toBe('application/xml; charset=utf-8')
    const locs = [...sitemap.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map(([, loc]) => loc)
    expect(locs).toEqual(items.map((item) => `https://cite.example.org/works/${encodeURIComponent(String(item.id))}`))
    expect([...sitemap.body.matchAll(/<lastmod>([^<]+)<\/lastmod>/g)].map(([, stamp]) => stamp)).toEqual(
      items.map(() => '2024-03-05T10:20:30Z'),
    )
    expect((await app.inject('/sitemap-2.xml')).statusCode).toBe(404)
  })

  it('are named in robots.txt', async () => {
    expect((await app.inject('/robots.txt')).body).toBe('User-agent: *\nAllow: /\nSitemap: https://cite.example.org/sitemap.xml\n')
  })

  it('take the public URL from the request when PUBLIC_URL is unset', async () => {
    const plain = await testApp({ items: [seed] })
    const body = (await plain.inject({ url: '/robots.txt', headers: { host: 'cite.test:8080' } })).body
    await plain.close()
    expect(body).toContain('Sitemap: http://cite.test:8080/sitemap.xml')
  })
})
