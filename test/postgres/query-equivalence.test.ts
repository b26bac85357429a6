import { describe, expect, it } from 'vitest'
import type { FacetRequest, SortPosition } from '../../src/catalogue/query/types.js'
import type { ListRequest, WorkPage } from '../../src/catalogue/store.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { bothStores, type BothStores } from './fixtures/both-stores.js'

// Both stores over the same generated catalogue answer the same requests with the same pages:
// totals, order, sort keys, facets and scores.

const items = syntheticCatalogue(3000, 7)
const stores = bothStores(items, 120_000)

const FACETS: FacetRequest[] = [
  { name: 'type-name', limit: 1000 },
  { name: 'published', limit: 1000 },
  { name: 'container-title', limit: 3 },
  { name: 'language', limit: 1000 },
]

/** What a page says, without what each store assigns on its own (seq, time of change). */
const seen = (page: WorkPage) => ({
  total: page.total,
  ids: page.works.map((work) => work.id),
  keys: page.keys,
  scores: page.scores,
  facets: page.facets,
})

const requests: [string, ListRequest][] = [
  ['everything, faceted', { query: {}, rows: 10, facets: FACETS }],
  [
    'filtered, faceted, sorted by date',
    {
      query: { filters: { type: ['article-journal'], fromPublished: 20000101 } },
      rows: 20,
      facets: FACETS,
      sort: { by: 'published', order: 'desc' },
    },
  ],
  [
    'words, filtered, faceted, by relevance',
    {
      query: { text: 'melanoma cytokines', filters: { untilPublished: 20151231 } },
      rows: 20,
      facets: FACETS,
      sort: { by: 'relevance', order: 'desc' },
    },
  ],
  ['words in catalogue order', { query: { text: 'review evidence' }, rows: 20 }],
  [
    'an author, by title, from an offset',
    { query: { fields: { author: 'Müller' } }, rows: 20, offset: 5, sort: { by: 'title', order: 'asc' } },
  ],
  [
    'a container, by relevance',
    { query: { fields: { 'container-title': 'journal things' } }, rows: 10, sort: { by: 'relevance', order: 'desc' } },
  ],
  [
    'a title phrase, least relevant first',
    { query: { fields: { title: 'coral reefs' } }, rows: 10, sort: { by: 'relevance', order: 'asc' } },
  ],
  ['a phrase in the title, by relevance', { query: { text: 'coral reefs' }, rows: 30, sort: { by: 'relevance', order: 'desc' } }],
  [
    'three words, a repeated one, from an offset',
    { query: { text: 'Müller coral müller' }, rows: 15, offset: 7, sort: { by: 'relevance', order: 'desc' } },
  ],
  ['words, least relevant first', { query: { text: 'protein folding review' }, rows: 25, sort: { by: 'relevance', order: 'asc' } }],
  [
    'words and a filter, past the first tier',
    { query: { text: 'garcia evidence', filters: { type: ['book'] } }, rows: 10, offset: 40, sort: { by: 'relevance', order: 'desc' } },
  ],
  [
    'filters of every kind',
    { query: { filters: { prefix: ['10.5555'], language: ['en'], hasAbstract: true, hasDoi: true } }, rows: 5, facets: FACETS },
  ],
]

describe('the PostgreSQL store and the file store', () => {
  it.each(requests)('answer alike: %s', async (_name, request) => {
    expect(seen(await stores.postgres.list(request))).toEqual(seen(await stores.file.list(request)))
  })

  it('answer reference strings alike', async () => {
    for (const index of [10, 500, 2999]) {
      const cited = items[index] as (typeof items)[number]
      const reference = `${cited.author?.[0]?.family} ${cited.issued?.['date-parts']?.[0]?.[0]} ${cited.title} ${cited['container-title']} ${cited.volume} ${String(cited.page).split('-')[0]}`
      const request: ListRequest = { query: { fields: { bibliographic: reference } }, rows: 5, sort: { by: 'relevance', order: 'desc' } }
      const [fromPostgres, fromFile] = [await stores.postgres.list(request), await stores.file.list(request)]
      expect(fromPostgres.works[0]?.id).toBe(cited.id)
      expect(seen(fromPostgres)).toEqual(seen(fromFile))
    }
  })

  it.each<[string, 'asc' | 'desc']>([
    ['muller garcia', 'desc'],
    ['coral reefs', 'desc'],
    ['reefs coral review', 'asc'],
    ['dubois tumour', 'desc'],
  ])('walk %s by relevance (%s) by keyset alike', async (text, order) => {
    const walk = async (store: BothStores[keyof BothStores]) => {
      const walked: string[] = []
      let after: SortPosition | undefined
      for (let pages = 0; pages < 6; pages++) {
        const page = await store.list({ query: { text }, rows: 25, sort: { by: 'relevance', order }, after })
        walked.push(...page.works.map((work) => work.id))
        const last = page.works.length - 1
        if (last < 0) break
        after = { key: page.keys?.[last] ?? null, seq: page.works[last]?.seq ?? 0 }
      }
      return walked
    }
    expect(await walk(stores.postgres)).toEqual(await walk(stores.file))
  })

  it('query a written work by what the write derived', async () => {
    const item = { id: 'written', type: 'book' as const, title: 'Zzyzx atlas', ISBN: '0-306-40615-2', issued: { 'date-parts': [[1066]] } }
    await stores.postgres.write([{ kind: 'put', item }])
    const page = await stores.postgres.list({ query: { filters: { isbn: ['0306406152'] } }, rows: 5, sort: { by: 'title', order: 'desc' } })
    expect(page.works.map((work) => work.id)).toEqual(['written'])
    expect(page.keys).toEqual(['zzyzx atlas'])
    await stores.postgres.write([{ kind: 'put', item: { ...item, ISBN: undefined, title: 'Atlas' } }])
    expect((await stores.postgres.list({ query: { filters: { isbn: ['0306406152'] } }, rows: 5 })).total).toBe(0)
    expect((await stores.postgres.list({ query: { fields: { title: 'atlas' } }, rows: 5 })).works.map((work) => work.id)).toEqual([
      'written',
    ])
    await stores.postgres.write([{ kind: 'delete', id: 'written' }])
  })
})
