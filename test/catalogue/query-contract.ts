import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListRequest, WorkPage, WorkQuery } from '../../src/catalogue/store.js'
import type { OpenStore } from './store-contract.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import type { SortPosition, WorkFilters, WorkSort } from '../../src/catalogue/query/types.js'

const RECORDS: CslItem[] = [
  {
    id: 'a',
    type: 'article-journal',
    title: 'Dose schedule of interleukin-2 in melanoma',
    author: [{ family: 'Müller', given: 'Anna' }],
    issued: { 'date-parts': [[2024, 3, 5]] },
    'container-title': 'Journal of Tests',
    volume: '54',
    page: '273-285',
    DOI: '10.5555/A-1',
    ISSN: '1234-5679',
    abstract: 'High doses given weekly.',
    language: 'en',
  },
  {
    id: 'b',
    type: 'chapter',
    title: 'Melanoma and schedule dose',
    editor: [{ family: 'Smith', given: 'Mark' }],
    issued: { 'date-parts': [[2019]] },
    'container-title': 'Book of Chapters',
    ISBN: '978-3-16-148410-0',
    language: 'de',
  },
  {
    id: 'c',
    type: 'article-journal',
    title: 'Schedule',
    author: [{ family: 'García', given: 'José' }],
    issued: { 'date-parts': [[2024, 3]] },
    'container-title': 'journal of  tests',
    DOI: '10.6666/c',
    abstract: 'On the dose schedule in melanoma.',
    language: 'en-GB',
  },
  { id: 'd', type: 'book', title: 'Zebra studies', DOI: '10.5555/d' },
  {
    id: 'e',
    type: 'report',
    title: 'Álgebra of doses',
    author: [{ family: 'Muller', given: 'Olga' }],
    issued: { 'date-parts': [[2021, 12, 31]] },
    language: 'fr',
  },
]

const ids = (page: WorkPage) => page.works.map((work) => work.id)

/**
 * Filters, field queries, relevance, sort orders, facets and keyset paging: the same expectations for
 * every store. `open` gives a store holding the records, in their order, as its catalogue.
 */
export function queryContract(name: string, open: OpenStore): void {
  describe(`${name}: Crossref queries`, () => {
    let opened: Awaited<ReturnType<OpenStore>>
    const store = { list: (request: ListRequest) => opened.store.list(request) }
    beforeAll(async () => {
      opened = await open(RECORDS)
    })
    afterAll(() => opened.close())

    const list = (query: WorkQuery, extra: Partial<ListRequest> = {}) => store.list({ query, rows: 100, ...extra })
    const filtered = async (filters: WorkFilters) => ids(await list({ filters }))

    it.each<[string, WorkFilters, string[]]>([
      ['type', { type: ['article-journal'] }, ['a', 'c']],
      ['any of several types', { type: ['article-journal', 'book'] }, ['a', 'c', 'd']],
      ['from a year', { fromPublished: 20210101 }, ['a', 'c', 'e']],
      ['until a year', { untilPublished: 20191231 }, ['b']],
      ['a date range, a month without a day counting as its first', { fromPublished: 20240301, untilPublished: 20240304 }, ['c']],
      ['with an abstract', { hasAbstract: true }, ['a', 'c']],
      ['without an abstract', { hasAbstract: false }, ['b', 'd', 'e']],
      ['without a DOI', { hasDoi: false }, ['b', 'e']],
      ['DOI', { doi: ['10.5555/a-1'] }, ['a']],
      ['prefix', { prefix: ['10.5555'] }, ['a', 'd']],
      ['ISSN', { issn: ['1234-5679'] }, ['a']],
      ['ISBN', { isbn: ['9783161484100'] }, ['b']],
      ['container title, folded', { containerTitle: ['journal of tests'] }, ['a', 'c']],
      ['language, with its regional variants', { language: ['en'] }, ['a', 'c']],
      ['several filters at once', { type: ['article-journal'], language: ['en-gb'] }, ['c']],
    ])('filters by %s', async (_name, filters, expected) => {
      expect(await filtered(filters)).toEqual(expected)
    })

    it('filters by the time of change', async () => {
      const all = (await list({})).works
      const middle = all.map((work) => work.modified.getTime()).sort((x, y) => x - y)[2] as number
      const expected = (test: (time: number) => boolean) => all.filter((work) => test(work.modified.getTime())).map((work) => work.id)
      expect(await filtered({ fromUpdated: new Date(middle) })).toEqual(expected((time) => time >= middle))
      expect(await filtered({ untilUpdated: new Date(middle - 1) })).toEqual(expected((time) => time < middle))
    })

    it('searches each field query in its own fields, ignoring case and accents', async () => {
      expect(ids(await list({ fields: { author: 'MULLER' } })).sort()).toEqual(['a', 'e'])
      expect(ids(await list({ fields: { editor: 'smith' } }))).toEqual(['b'])
      expect(ids(await list({ fields: { 'container-title': 'Tests' } })).sort()).toEqual(['a', 'c'])
      expect(ids(await list({ fields: { title: 'zebra' } }))).toEqual(['d'])
      expect(ids(await list({ fields: { author: 'smith' } }))).toEqual([])
    })

    it('combines a field query with words and filters', async () => {
      expect(ids(await list({ text: 'melanoma', fields: { author: 'García' } }))).toEqual(['c'])
      expect(ids(await list({ fields: { author: 'muller' }, filters: { type: ['report'] } }))).toEqual(['e'])
    })

    const relevance: Partial<ListRequest> = { sort: { by: 'relevance', order: 'desc' } }

    it('ranks by relevance: an exact phrase above scattered words, the title above the abstract', async () => {
      const page = await list({ text: 'schedule dose' }, relevance)
      expect(ids(page)).toEqual(['b', 'a', 'c'])
      const scores = page.scores ?? []
      expect(scores).toHaveLength(3)
      expect(scores[0]).toBeGreaterThan(scores[1] as number)
      expect(scores[1]).toBeGreaterThan(scores[2] as number)
    })

    it('finds the work a reference string cites first', async () => {
      const page = await list({ fields: { bibliographic: 'Müller A (2024) Dose schedule. Journal of Tests 54: 273' } }, relevance)
      expect(ids(page)[0]).toBe('a')
      expect(page.total).toBeGreaterThan(1)
    })

    it('finds a work by the DOI in a reference string', async () => {
      const page = await list({ fields: { bibliographic: 'Schedule. https://doi.org/10.6666/C.' } }, relevance)
      expect(ids(page)[0]).toBe('c')
    })

    it('lists in catalogue order unless sorted, with scores when there are words', async () => {
      const page = await list({ text: 'dose schedule' })
      expect(ids(page)).toEqual(['a', 'b', 'c'])
      expect(page.scores).toHaveLength(3)
      expect((await list({ fields: { author: 'muller' } })).works.map((work) => work.id)).toEqual(['a', 'e'])
      expect((await list({ filters: { type: ['article-journal'] } })).scores).toBeUndefined()
    })

    it.each<[WorkSort, string[]]>([
      [{ by: 'published', order: 'asc' }, ['d', 'b', 'e', 'c', 'a']],
      [{ by: 'published', order: 'desc' }, ['a', 'c', 'e', 'b', 'd']],
      [{ by: 'title', order: 'asc' }, ['e', 'a', 'b', 'c', 'd']],
      [{ by: 'title', order: 'desc' }, ['d', 'c', 'b', 'a', 'e']],
    ])('sorts by %o', async (sort, expected) => {
      expect(ids(await list({}, { sort }))).toEqual(expected)
    })

    it('sorts by the time of change, ties in catalogue order', async () => {
      const all = (await list({})).works
      const byTime = (direction: number) =>
        [...all]
          .map((work, index) => ({ work, index }))
          .sort((x, y) => direction * (x.work.modified.getTime() - y.work.modified.getTime()) || x.index - y.index)
          .map(({ work }) => work.id)
      expect(ids(await list({}, { sort: { by: 'updated', order: 'asc' } }))).toEqual(byTime(1))
      expect(ids(await list({}, { sort: { by: 'updated', order: 'desc' } }))).toEqual(byTime(-1))
    })

    it('lists in catalogue order when sorting by relevance without words', async () => {
      const tied = await list({ filters: { type: ['article-journal', 'chapter'] } }, { sort: { by: 'relevance', order: 'desc' } })
      expect(ids(tied)).toEqual(['a', 'b', 'c'])
    })

    const walks: [string, WorkQuery, WorkSort | undefined][] = [
      ['catalogue order', {}, undefined],
      ['relevance', { fields: { bibliographic: 'dose schedule melanoma tests Müller' } }, { by: 'relevance', order: 'desc' }],
      ['relevance, ascending', { fields: { bibliographic: 'dose schedule melanoma tests Müller' } }, { by: 'relevance', order: 'asc' }],
      ['catalogue order, with words', { fields: { bibliographic: 'dose schedule melanoma tests Müller' } }, undefined],
      ['published, ascending', {}, { by: 'published', order: 'asc' }],
      ['published, descending', {}, { by: 'published', order: 'desc' }],
      ['updated', {}, { by: 'updated', order: 'desc' }],
      ['title', { filters: { hasDoi: true } }, { by: 'title', order: 'asc' }],
    ]
    it.each(walks)('walks %s by keyset, two at a time, neither skipping nor repeating', async (_name, query, sort) => {
      const whole = await list(query, { sort })
      const walked: string[] = []
      let after: SortPosition | undefined
      for (let pages = 0; pages < 10; pages++) {
        const page = await store.list({ query, rows: 2, sort, after })
        expect(page.total).toBe(whole.total)
        walked.push(...ids(page))
        if (page.works.length < 2) break
        const last = page.works.length - 1
        after = { key: page.keys?.[last] ?? null, seq: page.works[last]?.seq ?? 0 }
      }
      expect(walked).toEqual(ids(whole))
    })

    it('pages a sorted list by offset', async () => {
      const sort: WorkSort = { by: 'title', order: 'asc' }
      expect(ids(await list({}, { sort, offset: 1, rows: 2 }))).toEqual(['a', 'b'])
    })

    it('counts facets over the whole result, not the page', async () => {
      const page = await list(
        {},
        {
          rows: 1,
          facets: [
            { name: 'type-name', limit: 1000 },
            { name: 'published', limit: 1000 },
            { name: 'container-title', limit: 1 },
            { name: 'language', limit: 1000 },
          ],
        },
      )
      expect(page.facets).toEqual({
        'type-name': { 'value-count': 4, values: { 'article-journal': 2, chapter: 1, book: 1, report: 1 } },
        published: { 'value-count': 3, values: { '2024': 2, '2019': 1, '2021': 1 } },
        'container-title': { 'value-count': 1, values: { 'Journal of Tests': 2 } },
        language: { 'value-count': 4, values: { en: 1, de: 1, 'en-gb': 1, fr: 1 } },
      })
    })

    it('counts facets of a filtered search', async () => {
      const page = await list({ text: 'melanoma', filters: { fromPublished: 20200101 } }, { facets: [{ name: 'type-name', limit: 10 }] })
      expect(ids(page)).toEqual(['a', 'c'])
      expect(page.facets).toEqual({ 'type-name': { 'value-count': 1, values: { 'article-journal': 2 } } })
    })
  })
}
