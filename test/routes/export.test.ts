import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { parse as parseRis } from 'astrocite-ris'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appWith, richItem, seed } from '../fixtures/works.js'

let app: FastifyInstance
// Three records whose citation-js keys would all be "Berg2020Fish": the file must keep them apart.
const twins = [
  { ...richItem, id: 'berg 2020', DOI: '10.1/a' },
  { ...richItem, id: 'berg{2020}', DOI: '10.1/b' },
]

beforeAll(async () => {
  app = await appWith(seed, richItem, ...twins, { id: 'aardvark', type: 'book', title: 'Aardvarks', issued: { 'date-parts': [[1999]] } })
})
afterAll(() => app.close())

describe('GET /citations', () => {
  it('exports several ids into one BibTeX file with unique keys', async () => {
    const response = await app.inject('/citations?format=bibtex&ids=berg-2020-fish,berg%202020&ids=berg%7B2020%7D')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-disposition']).toBe('attachment; filename="citations.bib"')
    const { entries, errors } = parseBibtex(response.body)
    expect(errors).toEqual([])
    expect(entries.map((entry) => entry.key)).toEqual(['berg-2020-fish', 'berg-2020', 'berg-2020-2'])
  })

  it('exports by DOI too, each work once', async () => {
    const records = parseRis((await app.inject('/citations?format=ris&ids=10.1234/abc.def,berg-2020-fish,10.1/A')).body)
    expect(records.map((record) => record.id)).toEqual(['berg-2020-fish', 'berg 2020'])
  })

  it('exports the results of a query, or the whole catalogue', async () => {
    const queried = JSON.parse((await app.inject('/citations?format=csl-json&query=interleukin')).body) as { id: string }[]
    expect(queried.map((item) => item.id)).toEqual(['interleukin-2-in-cancer-2005'])
    const all = JSON.parse((await app.inject('/citations?format=csl-json')).body) as unknown[]
    expect(all).toHaveLength(5)
    const paged = JSON.parse((await app.inject('/citations?format=csl-json&rows=2&offset=1')).body) as { id: string }[]
    expect(paged.map((item) => item.id)).toEqual(['berg-2020-fish', 'berg 2020'])
  })

  it('lists bibliography entries in the style’s order', async () => {
    const text = (await app.inject('/citations?format=bibliography&style=apa&ids=interleukin-2-in-cancer-2005,aardvark')).body
    expect(text.split('\n').filter(Boolean)).toEqual(['Aardvarks. (1999).', 'Interleukin-2 in cancer. (2005). [Review]. 273–285.'])
    const numbered = (await app.inject('/citations?format=bibliography&style=vancouver&ids=interleukin-2-in-cancer-2005,aardvark')).body
    expect(numbered).toMatch(/^1\. Interleukin-2 in cancer[\s\S]*\n2\. Aardvarks/)
  })

  it('answers 404 naming every unknown id', async () => {
    const response = await app.inject('/citations?format=ris&ids=aardvark,nope,10.9/none')
    expect(response.statusCode).toBe(404)
    expect(response.json().detail).toBe('No work has the id or DOI "nope", "10.9/none".')
  })

  it('rejects a bad format or too many rows', async () => {
    expect((await app.inject('/citations?format=pdf')).statusCode).toBe(400)
    expect((await app.inject('/citations?rows=10001')).statusCode).toBe(400)
  })
})
