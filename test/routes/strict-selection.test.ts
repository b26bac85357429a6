import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { problemSchema } from '../../src/http/problem.js'
import { appWith, richItem, seed } from '../fixtures/works.js'

// Numbers in the query are decimal digits or a 400 naming the parameter (never read as 0, 16 or
// 1000), and a selection of no works is never answered as if it were a file of something.

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed, richItem)
})
afterAll(() => app.close())

async function refusedParameters(url: string): Promise<string[]> {
  const response = await app.inject(url)
  expect(response.statusCode, url).toBe(400)
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  const problem = problemSchema.parse(response.json())
  return (problem.errors ?? []).map((error) => error.name)
}

describe('numeric query parameters', () => {
  const odd = ['', '%20', '0x10', '1e3', '+5', '5.0', '-0', '%E2%80%8B7', '07%20']
  for (const route of ['/works', '/citations', '/styles', '/locales']) {
    for (const parameter of ['rows', 'offset']) {
      it(`${route}: a blank, hexadecimal, exponent or signed ${parameter} is a 400 naming it`, async () => {
        for (const value of odd) expect(await refusedParameters(`${route}?${parameter}=${value}`)).toEqual([parameter])
      })
    }
  }

  it('takes plain decimal digits as before', async () => {
    const response = await app.inject('/works?rows=1&offset=1')
    expect(response.statusCode).toBe(200)
    expect(response.json().message.items).toHaveLength(1)
  })

  it('a sitemap number is decimal digits too', async () => {
    expect((await app.inject('/sitemap-0x1.xml')).statusCode).toBe(400)
    expect((await app.inject('/sitemap-1.xml')).statusCode).toBe(200)
  })
})

describe('an empty selection', () => {
  it('ids= names no work: a 400 naming ids, for every format', async () => {
    for (const format of ['bibtex', 'ris', 'citation', 'bibliography']) {
      expect(await refusedParameters(`/citations?format=${format}&ids=`)).toEqual(['ids'])
      expect(await refusedParameters(`/citations?format=${format}&ids=,%20,`)).toEqual(['ids'])
    }
  })

  it('an in-text citation of no works is a 404 problem, not citeproc’s placeholder', async () => {
    const response = await app.inject('/citations?format=citation&query=zzzznothing')
    expect(response.statusCode).toBe(404)
    expect(response.body).not.toContain('NO_PRINTED_FORM')
    expect(problemSchema.parse(response.json()).detail).toMatch(/no work matches/i)
  })

  it('a file of a query that matches nothing is an honest empty file', async () => {
    const response = await app.inject('/citations?format=csl-json&query=zzzznothing')
    expect(response.statusCode).toBe(200)
    expect(JSON.parse(response.body)).toEqual([])
    const bibliography = await app.inject('/citations?format=bibliography&query=zzzznothing')
    expect(bibliography.statusCode).toBe(200)
    expect(bibliography.body).not.toContain('NO_PRINTED_FORM')
  })
})
