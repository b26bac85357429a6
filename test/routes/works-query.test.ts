import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { appWith } from '../fixtures/works.js'

let app: FastifyInstance

const work = (id: string, year: number, title: string, extra: Partial<CslItem> = {}): CslItem => ({
  id,
  type: 'article-journal',
  title,
  issued: { 'date-parts': [[year]] },
  ...extra,
})

const ITEMS: CslItem[] = [
  work('tests-2024', 2024, 'Dose schedule of interleukin-2', {
    author: [{ family: 'Müller', given: 'Anna' }],
    'container-title': 'Journal of Tests',
    volume: '54',
    page: '273-285',
    DOI: '10.5555/tests.2024',
    abstract: 'Weekly doses.',
    language: 'en',
  }),
  work('tests-2019', 2019, 'Schedules of doses', { type: 'chapter', 'container-title': 'Journal of Tests', language: 'de' }),
  work('other-2021', 2021, 'Zebra crossings', { type: 'book', DOI: '10.6666/zebra' }),
  ...Array.from({ length: 7 }, (_, index) => work(`filler-${index}`, 2000 + index, `Filler ${index}`, { type: 'report' })),
]

beforeAll(async () => {
  app = await appWith(...ITEMS)
})
afterAll(() => app.close())

interface ListBody {
  message: {
    'total-results': number
    items: Record<string, unknown>[]
    facets?: Record<string, { 'value-count': number; values: Record<string, number> }>
    'next-cursor'?: string
  }
}
interface ProblemBody {
  status: number
  errors: { name: string; detail: string; allowed?: string[] }[]
}

const list = async (query: string) => {
  const response = await app.inject(`/works?${query}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json<ListBody>().message
}
const refusal = async (query: string) => {
  const response = await app.inject(`/works?${query}`)
  expect(response.statusCode).toBe(400)
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  return response.json<ProblemBody>()
}
const idsOf = (message: ListBody['message']) => message.items.map((item) => item.id)

describe('GET /works with Crossref’s query parameters', () => {
  it('finds the work a reference string cites first, with a score on each item, best first', async () => {
    const message = await list(`query.bibliographic=${encodeURIComponent('Müller A. 2024 Dose schedule. Journal of Tests 54:273')}`)
    expect(message.items[0]?.id).toBe('tests-2024')
    const scores = message.items.map((item) => item.score as number)
    expect(scores.every((score) => typeof score === 'number' && score > 0)).toBe(true)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
  })

  it('ranks best first by default when there are words, catalogue order otherwise', async () => {
    expect(idsOf(await list('query.title=zebra%20crossings%20schedules'))).toEqual(['other-2021', 'tests-2019'])
    const ascending = await list('query.title=zebra%20crossings%20schedules&sort=relevance&order=asc')
    expect(idsOf(ascending)).toEqual(['tests-2019', 'other-2021'])
    expect(idsOf(await list('rows=2'))).toEqual(['tests-2024', 'tests-2019'])
  })

  it('searches names with query.author and titles with query.title', async () => {
    expect(idsOf(await list('query.author=muller'))).toEqual(['tests-2024'])
    expect(idsOf(await list('query.title=zebra'))).toEqual(['other-2021'])
  })

  it('filters, in Crossref’s syntax', async () => {
    expect(idsOf(await list('filter=from-pub-date:2019,until-pub-date:2021-06,type:article-journal,type:chapter')).sort()).toEqual([
      'tests-2019',
    ])
    expect(idsOf(await list('filter=has-doi:true')).sort()).toEqual(['other-2021', 'tests-2024'])
    expect(idsOf(await list('filter=container-title:Journal of Tests,language:en'))).toEqual(['tests-2024'])
  })

  it('refuses an unknown filter, naming it and listing the filters', async () => {
    const body = await refusal('filter=type:book,colour:blue')
    expect(body.errors).toHaveLength(1)
    expect(body.errors[0]?.name).toBe('filter')
    expect(body.errors[0]?.detail).toContain('"colour"')
    expect(body.errors[0]?.allowed).toEqual(expect.arrayContaining(['type', 'from-pub-date', 'until-update-date', 'issn']))
  })

  it.each([
    ['from-pub-date:2020-13', 'from-pub-date'],
    ['has-abstract:maybe', 'has-abstract'],
    ['type:journal-article', 'type'],
    ['issn:12', 'issn'],
    ['from-pub-date:2020,from-pub-date:2021', 'from-pub-date'],
  ])('refuses the malformed filter %s, naming it', async (filter, name) => {
    const body = await refusal(`filter=${filter}`)
    expect(body.errors[0]?.detail).toContain(`"${name}`)
  })

  it('counts facets over the whole result', async () => {
    const message = await list('rows=1&facet=type-name:*,published:2,container-title:10,language:*')
    expect(message.items).toHaveLength(1)
    expect(message.facets).toEqual({
      'type-name': { 'value-count': 4, values: { report: 7, 'article-journal': 1, book: 1, chapter: 1 } },
      published: { 'value-count': 2, values: { '2000': 1, '2001': 1 } },
      'container-title': { 'value-count': 1, values: { 'Journal of Tests': 2 } },
      language: { 'value-count': 2, values: { de: 1, en: 1 } },
    })
    expect((await refusal('facet=colour:*')).errors[0]?.allowed).toEqual(['type-name', 'published', 'container-title', 'language'])
  })

  it('returns only the selected fields', async () => {
    const message = await list('select=DOI,title&filter=has-doi:true')
    expect(message.items).toEqual([
      { DOI: '10.5555/tests.2024', title: 'Dose schedule of interleukin-2' },
      { DOI: '10.6666/zebra', title: 'Zebra crossings' },
    ])
    const body = await refusal('select=DOI,colour')
    expect(body.errors[0]?.detail).toContain('"colour"')
    expect(body.errors[0]?.allowed).toContain('container-title')
  })

  it('sorts, and walks any sort by cursor without skipping or repeating', async () => {
    const whole = idsOf(await list('sort=published&order=asc&rows=100'))
    expect(whole.slice(0, 3)).toEqual(['filler-0', 'filler-1', 'filler-2'])
    expect(whole.at(-1)).toBe('tests-2024')
    for (const sort of ['sort=published&order=asc', 'sort=title', 'sort=updated', 'query.bibliographic=dose%20schedule%20tests']) {
      const walked: unknown[] = []
      let cursor: string | undefined = '*'
      while (cursor !== undefined) {
        const message: ListBody['message'] = await list(`${sort}&rows=3&cursor=${cursor}`)
        walked.push(...idsOf(message))
        cursor = message['next-cursor']
      }
      expect(walked).toEqual(idsOf(await list(`${sort}&rows=100`)))
    }
  })

  it('refuses a cursor issued for another order', async () => {
    const { 'next-cursor': next } = await list('sort=title&rows=2&cursor=*')
    const body = await refusal(`sort=published&rows=2&cursor=${next}`)
    expect(body.errors[0]?.name).toBe('cursor')
  })

  it('describes every parameter in the OpenAPI document', async () => {
    const document = (await app.inject('/openapi.json')).json<{ paths: Record<string, { get: { parameters: { name: string }[] } }> }>()
    const names = document.paths['/works']?.get.parameters.map((parameter) => parameter.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'query.bibliographic',
        'query.author',
        'query.editor',
        'query.container-title',
        'query.title',
        'filter',
        'sort',
        'order',
        'facet',
        'select',
      ]),
    )
  })
})

describe('the catalogue page', () => {
  it('filters by type and year and sorts, with the parameters of GET /works', async () => {
    const response = await app.inject('/?filter=type:report&filter=from-pub-date:2003&filter=&sort=published&order=desc')
    expect(response.statusCode).toBe(200)
    const titles = [...response.body.matchAll(/<a href="\/pages\/works\/[^"]+">([^<]+)<\/a>/g)].map((match) => match[1])
    expect(titles).toEqual(['Filler 6', 'Filler 5', 'Filler 4', 'Filler 3'])
    expect(response.body).toMatch(/<option value="type:report"\s+selected>/)
    expect(response.body).toMatch(/<option value="from-pub-date:2003"\s+selected>/)
    expect(response.body).toMatch(/<option value="published"\s+selected>/)
  })

  it('keeps the filters and the order in its page links', async () => {
    const response = await app.inject('/?filter=type:report&sort=title&rows=2')
    const next = /<a rel="next" href="\/\?([^"]+)"/.exec(response.body)?.[1]
    expect(next).toBeDefined()
    const parameters = new URLSearchParams((next ?? '').replace(/&amp;/g, '&'))
    expect(parameters.getAll('filter')).toEqual(['type:report'])
    expect(parameters.get('sort')).toBe('title')
  })
})
