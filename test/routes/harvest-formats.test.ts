import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appWith, richItem, seed } from '../fixtures/works.js'

// The formats for registries and harvesters are served like every other format: by Accept, by
// ?format= and in multi-record exports.
let app: FastifyInstance
const undated = { id: 'undated-note', type: 'report' as const, title: 'An undated note' }

beforeAll(async () => {
  app = await appWith(seed, richItem, undated)
})
afterAll(() => app.close())

const FORMATS = [
  ['datacite-xml', 'application/vnd.datacite.datacite+xml', 'xml', '<identifier identifierType="DOI">(:tba)</identifier>'],
  ['datacite-json', 'application/vnd.datacite.datacite+json', 'json', '"resourceTypeGeneral": "JournalArticle"'],
  ['mods', 'application/mods+xml', 'xml', '<mods ID="interleukin-2-in-cancer-2005">'],
  ['dublin-core', 'application/x-oai-dc+xml', 'xml', '<dc:title>Interleukin-2 in cancer</dc:title>'],
  ['turtle', 'text/turtle', 'ttl', 'dcterms:title "Interleukin-2 in cancer"'],
  ['rdf-xml', 'application/rdf+xml', 'rdf', '<dcterms:title>Interleukin-2 in cancer</dcterms:title>'],
] as const

describe.each(FORMATS)('%s', (format, mediaType, extension, seedText) => {
  it('answers Accept on /works/{id}', async () => {
    const response = await app.inject({ url: '/works/interleukin-2-in-cancer-2005', headers: { accept: mediaType } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(`${mediaType}; charset=utf-8`)
    expect(response.body).toContain(seedText)
  })

  it('answers ?format= as a file', async () => {
    const response = await app.inject(`/works/interleukin-2-in-cancer-2005/citation?format=${format}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-disposition']).toBe(`attachment; filename="interleukin-2-in-cancer-2005.${extension}"`)
    expect(response.body).toContain(seedText)
  })

  it('exports several works in one file', async () => {
    const response = await app.inject(`/citations?format=${format}&ids=interleukin-2-in-cancer-2005,berg-2020-fish`)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Interleukin-2 in cancer')
    expect(response.body).toContain('Journal of Awkward Text')
  })
})

describe('a work DataCite cannot describe', () => {
  it.each(['datacite-xml', 'datacite-json'])('is a 422 problem naming what is missing in %s', async (format) => {
    const response = await app.inject(`/works/undated-note/citation?format=${format}`)
    expect(response.statusCode).toBe(422)
    expect(response.json()).toMatchObject({ type: '/problems/incomplete-record', detail: expect.stringContaining('publication year') })
  })

  it('spoils a multi-record export naming the work, never an invalid document', async () => {
    const response = await app.inject('/citations?format=datacite-xml&ids=interleukin-2-in-cancer-2005,undated-note')
    expect(response.statusCode).toBe(422)
    expect(response.json<{ detail: string }>().detail).toContain('"undated-note"')
  })

  it('is still given in formats that need no year', async () => {
    const response = await app.inject('/works/undated-note/citation?format=mods')
    expect(response.statusCode).toBe(200)
  })
})
