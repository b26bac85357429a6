import { afterEach, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import {
  InvalidRecordsError,
  PreconditionFailedError,
  RecordConflictError,
  WorkNotFoundError,
  type CatalogueStore,
  type StoredWork,
  type WorkQuery,
} from '../../src/catalogue/store.js'

/** A store opened on some records, and how to release it. */
interface OpenedStore {
  readonly store: CatalogueStore
  close(): Promise<void>
}

/** Opens a store holding exactly `items`, in their order; rejects when they clash. */
export type OpenStore = (items: readonly CslItem[]) => Promise<OpenedStore>

const fish: CslItem = {
  id: 'berg-2020-fish',
  type: 'article-journal',
  title: 'Fish and chips in a café',
  author: [
    { family: 'Berg', given: 'Jan', 'non-dropping-particle': 'van der' },
    { family: 'Beethoven', given: 'Ludwig' },
    { literal: 'WHO Consortium' },
  ],
  'container-title': 'Journal of Seafood',
  publisher: 'Harbour Press',
  DOI: '10.1234/ABC.def',
  issued: { 'date-parts': [[2020, 5, 7]] },
}
const cancer: CslItem = {
  id: 'interleukin-2005',
  type: 'article-journal',
  title: 'Interleukin-2 in cancer',
  abstract: 'Treatment of metastatic melanoma and renal cell carcinoma.',
}
const muller: CslItem = { id: 3, type: 'book', title: 'Müller on cancer', author: [{ family: 'Ng', given: 'Wei' }] }
const report: CslItem = { id: 'report-1', type: 'report', title: 'A report', editor: [{ family: 'Ōtsuka', given: 'Kōji' }] }

/** Three works and a few more, of three types. */
const basics = [fish, cancer, muller, report]

const books = (count: number, from = 0): CslItem[] =>
  Array.from({ length: count }, (_, index) => ({ id: `book-${from + index}`, type: 'book', title: `Volume ${from + index}` }))

const ids = (works: readonly (StoredWork | undefined)[]) => works.map((work) => work?.id)

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  )
}

/** Every work of the query, walked page by page after the last seq of each page. */
async function walk(
  store: CatalogueStore,
  query: WorkQuery,
  rows: number,
  betweenPages: (page: number) => Promise<unknown> = async () => {},
) {
  const walked: string[] = []
  let afterSeq: number | undefined
  for (let page = 1; page < 1000; page++) {
    if (page > 1) await betweenPages(page)
    const { works } = await store.list({ query, rows, afterSeq })
    walked.push(...ids(works).map(String))
    const last = works.at(-1)
    if (works.length < rows || last === undefined) return walked
    afterSeq = last.seq
  }
  throw new Error('the walk did not end')
}

async function scanned(store: CatalogueStore, query: WorkQuery, options?: { afterSeq?: number; batchSize?: number }) {
  const batches: string[][] = []
  for await (const batch of store.scan(query, options)) batches.push(ids(batch).map(String))
  return batches
}

/**
 * The behaviour every CatalogueStore has, whichever keeps the records: each store's test file calls
 * this with a function that opens that store on given records.
 */
export function storeContract(name: string, open: OpenStore): void {
  describe(`${name} keeps the CatalogueStore contract`, () => {
    let opened: OpenedStore[] = []
    const storeOf = async (items: readonly CslItem[]) => {
      const store = await open(items)
      opened.push(store)
      return store.store
    }
    afterEach(async () => {
      await Promise.all(opened.map((store) => store.close()))
      opened = []
    })

    describe('lookup', () => {
      it('finds a work by id, a numeric id as a string, with the record as it was given', async () => {
        const store = await storeOf(basics)
        expect((await store.find('berg-2020-fish'))?.item).toEqual(fish)
        expect((await store.find('3'))?.id).toBe('3')
        expect(await store.find('nope')).toBeUndefined()
      })

      it('finds a work by its DOI in any case and in every usual spelling', async () => {
        const store = await storeOf(basics)
        for (const doi of [
          '10.1234/ABC.def',
          '10.1234/abc.def',
          '10.1234/ABC.DEF',
          'doi:10.1234/abc.def',
          'DOI:10.1234/abc.def',
          'https://doi.org/10.1234/abc.def',
          'http://dx.doi.org/10.1234/ABC.DEF',
        ]) {
          expect((await store.find(doi))?.id, doi).toBe('berg-2020-fish')
        }
        expect(await store.find('10.1234/abc')).toBeUndefined()
      })

      it('finds several at once, in the order asked, with gaps for what is missing', async () => {
        const store = await storeOf(basics)
        expect(ids(await store.findMany(['3', 'nope', 'doi:10.1234/abc.def', 'interleukin-2005', '3']))).toEqual([
          '3',
          undefined,
          'berg-2020-fish',
          'interleukin-2005',
          '3',
        ])
        expect(await store.findMany([])).toEqual([])
      })
    })

    describe('lists', () => {
      it('pages through every work in catalogue order by offset, with the total', async () => {
        const store = await storeOf(basics)
        expect(await store.list({ query: {}, rows: 2 })).toMatchObject({
          total: 4,
          works: [{ id: 'berg-2020-fish' }, { id: 'interleukin-2005' }],
        })
        expect(ids((await store.list({ query: {}, rows: 2, offset: 2 })).works)).toEqual(['3', 'report-1'])
        expect(await store.list({ query: {}, rows: 2, offset: 9 })).toEqual({ total: 4, works: [] })
        expect(await store.list({ query: {}, rows: 0 })).toEqual({ total: 4, works: [] })
      })

      it('gives every work a seq, ascending in catalogue order', async () => {
        const store = await storeOf(basics)
        const seqs = (await store.list({ query: {}, rows: 10 })).works.map((work) => work.seq)
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
        expect(new Set(seqs).size).toBe(4)
        for (const seq of seqs) expect(Number.isSafeInteger(seq) && seq > 0).toBe(true)
      })

      it('walks every work once, in order, after the seq of the last one of each page', async () => {
        const items = books(23)
        const store = await storeOf(items)
        for (const rows of [1, 5, 23, 50]) expect(await walk(store, {}, rows), String(rows)).toEqual(items.map((item) => item.id))
        expect(ids((await store.list({ query: {}, rows: 2, afterSeq: 0 })).works)).toEqual(['book-0', 'book-1'])
      })

      it('combines afterSeq with an offset, counting the offset after the seq', async () => {
        const store = await storeOf(books(10))
        const [, second] = (await store.list({ query: {}, rows: 2 })).works as [StoredWork, StoredWork]
        expect(ids((await store.list({ query: {}, rows: 2, afterSeq: second.seq, offset: 1 })).works)).toEqual(['book-3', 'book-4'])
      })

      it('narrows a list by type', async () => {
        const store = await storeOf(basics)
        expect(await store.list({ query: { type: 'article-journal' }, rows: 10 })).toMatchObject({
          total: 2,
          works: [{ id: 'berg-2020-fish' }, { id: 'interleukin-2005' }],
        })
        expect((await store.list({ query: { type: 'thesis' }, rows: 10 })).total).toBe(0)
      })

      it('lists the types present, sorted, once each', async () => {
        expect(await (await storeOf(basics)).types()).toEqual(['article-journal', 'book', 'report'])
        expect(await (await storeOf([])).types()).toEqual([])
      })
    })

    describe('search', () => {
      const found = async (store: CatalogueStore, text: string) => ids((await store.list({ query: { text }, rows: 10 })).works)

      it('finds every word, in any case and with or without accents, in titles, abstracts and names', async () => {
        const store = await storeOf(basics)
        expect(await found(store, 'cancer')).toEqual(['interleukin-2005', '3'])
        expect(await found(store, 'CANCER muller')).toEqual(['3'])
        expect(await found(store, 'Müller')).toEqual(['3'])
        expect(await found(store, 'CAFE chips')).toEqual(['berg-2020-fish'])
        expect(await found(store, 'melanoma')).toEqual(['interleukin-2005'])
        expect(await found(store, 'beethoven')).toEqual(['berg-2020-fish'])
        expect(await found(store, 'consortium who')).toEqual(['berg-2020-fish'])
        expect(await found(store, 'wei ng')).toEqual(['3'])
        expect(await found(store, 'otsuka koji')).toEqual(['report-1'])
      })

      it('matches whole words only, and nothing for a word no work has', async () => {
        const store = await storeOf(basics)
        expect(await found(store, 'canc')).toEqual([])
        expect(await found(store, 'cancer absent')).toEqual([])
      })

      it('searches nothing but titles, abstracts and names', async () => {
        const store = await storeOf(basics)
        for (const text of ['seafood', 'harbour', '10.1234', 'abc', 'article', 'journal', '2020'])
          expect(await found(store, text), text).toEqual([])
      })

      it('treats a blank search as none', async () => {
        const store = await storeOf(basics)
        expect((await store.list({ query: { text: '   ' }, rows: 10 })).total).toBe(4)
      })

      it('pages a search by offset and by seq, with the number of matches as its total', async () => {
        const items = [...books(12), ...books(3, 100).map((item) => ({ ...item, title: `Other ${String(item.id)}` }))]
        const store = await storeOf(items)
        const page = await store.list({ query: { text: 'volume' }, rows: 5, offset: 10 })
        expect(page).toMatchObject({ total: 12, works: [{ id: 'book-10' }, { id: 'book-11' }] })
        expect(await walk(store, { text: 'volume' }, 5)).toEqual(books(12).map((item) => item.id))
      })
    })

    describe('scan', () => {
      it('gives every matching work once, in catalogue order, in batches of the size asked', async () => {
        const items = books(7)
        const store = await storeOf(items)
        expect(await scanned(store, {}, { batchSize: 3 })).toEqual([
          ['book-0', 'book-1', 'book-2'],
          ['book-3', 'book-4', 'book-5'],
          ['book-6'],
        ])
        expect((await scanned(store, {})).flat()).toEqual(items.map((item) => item.id))
        const third = (await store.find('book-2')) as StoredWork
        expect((await scanned(store, {}, { afterSeq: third.seq, batchSize: 10 })).flat()).toEqual(['book-3', 'book-4', 'book-5', 'book-6'])
        expect((await scanned(store, { text: 'volume 4' })).flat()).toEqual(['book-4'])
        expect(await scanned(await storeOf([]), {})).toEqual([])
      })
    })

    describe('state', () => {
      it('counts the works, and dates the catalogue no earlier than any work', async () => {
        const store = await storeOf(basics)
        const state = await store.state()
        expect(state.works).toBe(4)
        const works = (await store.list({ query: {}, rows: 10 })).works
        for (const work of works) {
          expect(work.modified.getTime()).toBeLessThanOrEqual(state.modified.getTime())
          expect(work.modified.getTime()).toBeGreaterThanOrEqual(state.earliestModified.getTime())
        }
        expect(typeof state.version).toBe('string')
      })

      it('changes its version on every write that changes a record, and never dates itself back', async () => {
        const store = await storeOf(basics)
        const seen = [await store.state()]
        await store.write([{ kind: 'put', item: { ...fish, title: 'Changed' } }])
        seen.push(await store.state())
        await store.write([{ kind: 'put', item: { id: 'new', type: 'book' } }])
        seen.push(await store.state())
        await store.write([{ kind: 'delete', id: 'new' }])
        seen.push(await store.state())
        expect(new Set(seen.map((state) => state.version)).size).toBe(4)
        expect(seen.map((state) => state.works)).toEqual([4, 4, 5, 4])
        for (let index = 1; index < seen.length; index++) {
          expect((seen[index] as { modified: Date }).modified.getTime()).toBeGreaterThanOrEqual(
            (seen[index - 1] as { modified: Date }).modified.getTime(),
          )
        }
      })
    })

    describe('citation keys', () => {
      it('gives every work a BibTeX-safe key, unique even when ids sanitise alike, and a record its own key', async () => {
        const items: CslItem[] = [
          { id: 'smith 2020', type: 'book' },
          { id: 'smith{2020}', type: 'book' },
          { id: 'smith-2020', type: 'book' },
          { id: 'Łódź', type: 'book', 'citation-key': 'lodz2019' },
          { id: '東京', type: 'book' },
        ]
        const works = (await (await storeOf(items)).list({ query: {}, rows: 10 })).works
        const keys = works.map((work) => work.key)
        expect(new Set(keys).size).toBe(keys.length)
        for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_.:+-]+$/)
        expect(keys[3]).toBe('lodz2019')
      })

      it('keeps every key while its record asks for the same one, whatever is written around it', async () => {
        const items: CslItem[] = [
          { id: 'smith 2020', type: 'book' },
          { id: 'smith{2020}', type: 'book' },
          { id: 'other', type: 'book' },
        ]
        const store = await storeOf(items)
        const keysOf = async () => new Map((await store.list({ query: {}, rows: 10 })).works.map((work) => [work.id, work.key]))
        const before = await keysOf()
        await store.write([{ kind: 'put', item: { id: 'smith.2020', type: 'book', 'citation-key': 'smith 2020' } }])
        await store.write([{ kind: 'delete', id: 'smith 2020' }])
        await store.write([{ kind: 'put', item: { id: 'smith{2020}', type: 'book', title: 'Now with a title' } }])
        const after = await keysOf()
        expect(after.get('smith{2020}')).toBe(before.get('smith{2020}'))
        expect(after.get('other')).toBe(before.get('other'))
        expect(new Set(after.values()).size).toBe(after.size)
      })
    })

    describe('clashes', () => {
      it('refuses to open on records that repeat an id, a DOI in any spelling, or a citation key', async () => {
        await expect(open([fish, { ...cancer, id: fish.id }])).rejects.toThrow()
        await expect(open([fish, { ...cancer, DOI: 'https://doi.org/10.1234/abc.DEF' }])).rejects.toThrow()
        await expect(
          open([
            { ...fish, 'citation-key': 'k2020' },
            { ...cancer, 'citation-key': 'k2020' },
          ]),
        ).rejects.toThrow()
      })

      it('refuses a write whose record has the DOI or the citation key of another work, naming it', async () => {
        const store = await storeOf([{ ...fish, 'citation-key': 'berg2020' }, cancer])
        const doi = await rejection(store.write([{ kind: 'put', item: { id: 'copy', type: 'book', DOI: 'doi:10.1234/abc.DEF' } }]))
        expect(doi).toBeInstanceOf(RecordConflictError)
        expect(doi).toMatchObject({ id: 'copy', field: 'DOI', otherId: 'berg-2020-fish' })
        const key = await rejection(store.write([{ kind: 'put', item: { ...cancer, 'citation-key': 'berg2020' } }]))
        expect(key).toBeInstanceOf(RecordConflictError)
        expect(key).toMatchObject({ id: 'interleukin-2005', field: 'citation-key', otherId: 'berg-2020-fish' })
        const twins = await rejection(
          store.write([
            { kind: 'put', item: { id: 'one', type: 'book', DOI: '10.5555/twin' } },
            { kind: 'put', item: { id: 'two', type: 'book', DOI: '10.5555/TWIN' } },
          ]),
        )
        expect(twins).toBeInstanceOf(RecordConflictError)
        expect(twins).toMatchObject({ field: 'DOI' })
        expect(await store.find('copy')).toBeUndefined()
        expect(await store.find('one')).toBeUndefined()
        expect((await store.state()).works).toBe(2)
      })

      it('lets a work keep its own DOI and key when it is replaced, and take a DOI another work gave up in the same write', async () => {
        const store = await storeOf([{ ...fish, 'citation-key': 'berg2020' }, cancer])
        await store.write([{ kind: 'put', item: { ...fish, 'citation-key': 'berg2020', title: 'Changed' } }])
        await store.write([
          { kind: 'put', item: { ...fish, DOI: '10.1234/moved', 'citation-key': 'berg2020' } },
          { kind: 'put', item: { ...cancer, DOI: '10.1234/abc.def' } },
        ])
        expect((await store.find('10.1234/ABC.DEF'))?.id).toBe('interleukin-2005')
        expect((await store.find('10.1234/moved'))?.id).toBe('berg-2020-fish')
      })
    })

    describe('writes', () => {
      it('creates, replaces, leaves unchanged and deletes, saying which for each change', async () => {
        const store = await storeOf(basics)
        const before = (await store.find('berg-2020-fish')) as StoredWork
        const outcomes = await store.write([
          { kind: 'put', item: { id: 'new', type: 'book', title: 'New' } },
          { kind: 'put', item: { ...fish, title: 'Changed' } },
          { kind: 'put', item: cancer },
          { kind: 'delete', id: 'report-1' },
        ])
        expect(outcomes.map((outcome) => [outcome.id, outcome.outcome])).toEqual([
          ['new', 'created'],
          ['berg-2020-fish', 'replaced'],
          ['interleukin-2005', 'unchanged'],
          ['report-1', 'deleted'],
        ])
        const [created, replaced, unchanged] = outcomes as readonly { work: StoredWork }[]
        expect(created?.work).toMatchObject({ id: 'new', item: { id: 'new', title: 'New' } })
        expect(replaced?.work).toMatchObject({ id: 'berg-2020-fish', seq: before.seq, key: before.key, item: { title: 'Changed' } })
        expect(unchanged?.work.id).toBe('interleukin-2005')
        expect((await store.find('berg-2020-fish'))?.item.title).toBe('Changed')
        expect(await store.find('report-1')).toBeUndefined()
        expect((await store.find('new'))?.item).toEqual({ id: 'new', type: 'book', title: 'New' })
      })

      it('gives new works seqs above every earlier one, even one deleted, and a recreated work a new one', async () => {
        const store = await storeOf(books(3))
        const last = (await store.find('book-2')) as StoredWork
        await store.write([{ kind: 'delete', id: 'book-2' }])
        await store.write([{ kind: 'put', item: { id: 'late', type: 'book' } }])
        const late = (await store.find('late')) as StoredWork
        expect(late.seq).toBeGreaterThan(last.seq)
        const first = (await store.find('book-0')) as StoredWork
        await store.write([{ kind: 'delete', id: 'book-0' }])
        await store.write([{ kind: 'put', item: { id: 'book-0', type: 'book' } }])
        expect((await store.find('book-0'))?.seq).toBeGreaterThan(late.seq)
        expect(first.seq).toBeLessThan(late.seq)
        expect(ids((await store.list({ query: {}, rows: 10 })).works)).toEqual(['book-1', 'late', 'book-0'])
      })

      it('changes a work’s version and time of change with its record, and no other work’s', async () => {
        const store = await storeOf(basics)
        const [fishBefore, cancerBefore] = (await store.findMany(['berg-2020-fish', 'interleukin-2005'])) as [StoredWork, StoredWork]
        await store.write([{ kind: 'put', item: { ...fish, title: 'Changed' } }])
        const [fishAfter, cancerAfter] = (await store.findMany(['berg-2020-fish', 'interleukin-2005'])) as [StoredWork, StoredWork]
        expect(fishAfter.version).not.toBe(fishBefore.version)
        expect(fishAfter.modified.getTime()).toBeGreaterThanOrEqual(fishBefore.modified.getTime())
        expect((await store.state()).modified.getTime()).toBeGreaterThanOrEqual(fishAfter.modified.getTime())
        expect(cancerAfter.version).toBe(cancerBefore.version)
        expect(cancerAfter.modified).toEqual(cancerBefore.modified)
        // Writing the record as it is changes nothing; writing it back as it was gives its version back.
        const [same] = await store.write([{ kind: 'put', item: cancer }])
        expect(same).toMatchObject({ outcome: 'unchanged', work: { version: cancerBefore.version } })
        expect((await store.find('interleukin-2005'))?.modified).toEqual(cancerBefore.modified)
        await store.write([{ kind: 'put', item: fish }])
        expect((await store.find('berg-2020-fish'))?.version).toBe(fishBefore.version)
      })

      it('applies a change only while its precondition holds', async () => {
        const store = await storeOf(basics)
        const { version } = (await store.find('berg-2020-fish')) as StoredWork
        const failed = await rejection(store.write([{ kind: 'put', item: { ...fish, title: 'A' }, ifVersion: 'not-the-version' }]))
        expect(failed).toBeInstanceOf(PreconditionFailedError)
        expect(failed).toMatchObject({ id: 'berg-2020-fish' })
        await expect(store.write([{ kind: 'put', item: { ...fish, title: 'Z' }, ifAbsent: true }])).rejects.toBeInstanceOf(
          PreconditionFailedError,
        )
        await expect(store.write([{ kind: 'put', item: { id: 'none', type: 'book' }, ifVersion: version }])).rejects.toBeInstanceOf(
          PreconditionFailedError,
        )
        await expect(store.write([{ kind: 'delete', id: 'berg-2020-fish', ifVersion: 'not-the-version' }])).rejects.toBeInstanceOf(
          PreconditionFailedError,
        )
        expect((await store.find('berg-2020-fish'))?.item.title).toBe(fish.title)
        const [put] = await store.write([{ kind: 'put', item: { ...fish, title: 'B' }, ifVersion: version }])
        expect(put?.outcome).toBe('replaced')
        const [added] = await store.write([{ kind: 'put', item: { id: 'fresh', type: 'book' }, ifAbsent: true }])
        expect(added?.outcome).toBe('created')
        const current = (await store.find('berg-2020-fish')) as StoredWork
        expect(await store.write([{ kind: 'delete', id: 'berg-2020-fish', ifVersion: current.version }])).toEqual([
          { id: 'berg-2020-fish', outcome: 'deleted' },
        ])
      })

      it('refuses to delete a work that does not exist', async () => {
        const store = await storeOf(basics)
        const error = await rejection(store.write([{ kind: 'delete', id: 'nope' }]))
        expect(error).toBeInstanceOf(WorkNotFoundError)
        expect(error).toMatchObject({ id: 'nope' })
      })

      it('refuses invalid records, naming every problem of every record', async () => {
        const store = await storeOf(basics)
        const error = await rejection(
          store.write([
            { kind: 'put', item: { id: 'fine', type: 'book' } },
            { kind: 'put', item: { id: 'bad', type: 'nonsense', volumes: 'x' } as unknown as CslItem },
            { kind: 'put', item: { id: '', type: 'book' } },
          ]),
        )
        expect(error).toBeInstanceOf(InvalidRecordsError)
        const problems = (error as InvalidRecordsError).problems
        expect(problems.map((problem) => [problem.index, problem.field])).toEqual(
          expect.arrayContaining([
            [1, 'type'],
            [1, 'volumes'],
            [2, 'id'],
          ]),
        )
        expect(problems.every((problem) => problem.index !== 0)).toBe(true)
        expect(await store.find('fine')).toBeUndefined()
      })

      it('refuses a write that changes one work twice', async () => {
        const store = await storeOf(basics)
        const error = await rejection(
          store.write([
            { kind: 'put', item: { ...fish, title: 'Once' } },
            { kind: 'delete', id: 'berg-2020-fish' },
          ]),
        )
        expect(error).toBeInstanceOf(InvalidRecordsError)
        expect((error as InvalidRecordsError).problems).toMatchObject([{ index: 1, field: 'id' }])
        expect((await store.find('berg-2020-fish'))?.item.title).toBe(fish.title)
      })

      it('applies all the changes of a write or none', async () => {
        const store = await storeOf(basics)
        const { version } = await store.state()
        await expect(
          store.write([
            { kind: 'put', item: { id: 'new', type: 'book' } },
            { kind: 'put', item: { ...fish, title: 'Changed' } },
            { kind: 'delete', id: 'nope' },
          ]),
        ).rejects.toBeInstanceOf(WorkNotFoundError)
        await expect(
          store.write([
            { kind: 'delete', id: 'report-1' },
            { kind: 'put', item: { id: 'copy', type: 'book', DOI: fish.DOI } },
          ]),
        ).rejects.toBeInstanceOf(RecordConflictError)
        expect(await store.find('new')).toBeUndefined()
        expect((await store.find('berg-2020-fish'))?.item.title).toBe(fish.title)
        expect(await store.find('report-1')).toBeDefined()
        expect(await store.state()).toMatchObject({ works: 4, version })
      })

      it('takes concurrent writes one after the other, losing none', async () => {
        const store = await storeOf(basics)
        const outcomes = await Promise.all(books(10).map((item) => store.write([{ kind: 'put', item }])))
        expect(outcomes.flat().map((outcome) => outcome.outcome)).toEqual(Array.from({ length: 10 }, () => 'created'))
        const seqs = outcomes.flat().map((outcome) => (outcome as { work: StoredWork }).work.seq)
        expect(new Set(seqs).size).toBe(10)
        expect((await store.state()).works).toBe(14)
      })

      it('keeps a walk by seq correct across writes: no work there throughout is skipped or repeated', async () => {
        const items = books(20)
        const store = await storeOf(items)
        const walked = await walk(store, {}, 4, async (page) => {
          if (page === 2)
            await store.write([
              { kind: 'delete', id: 'book-1' },
              { kind: 'delete', id: 'book-13' },
              { kind: 'put', item: { id: 'book-9', type: 'book', title: 'Changed' } },
              { kind: 'put', item: { id: 'added', type: 'book', title: 'Volume added' } },
            ])
          if (page === 4) await store.write([{ kind: 'put', item: { id: 'book-2', type: 'book', title: 'Changed behind the walk' } }])
        })
        const throughout = items.map((item) => String(item.id)).filter((id) => id !== 'book-1' && id !== 'book-13')
        expect(walked.filter((id) => throughout.includes(id))).toEqual(throughout)
        expect(walked.filter((id) => id === 'added')).toEqual(['added'])
        expect(walked).not.toContain('book-13')
        expect(walked.at(-1)).toBe('added')
      })

      it('selects works by their time of change', async () => {
        const store = await storeOf(basics)
        const { modified: loaded } = await store.state()
        await new Promise((resolve) => setTimeout(resolve, 5))
        const [outcome] = await store.write([{ kind: 'put', item: { ...cancer, title: 'Changed' } }])
        const changed = (outcome as { work: StoredWork }).work.modified
        expect(changed.getTime()).toBeGreaterThan(loaded.getTime())
        expect(ids((await store.list({ query: { modifiedFrom: changed }, rows: 10 })).works)).toEqual(['interleukin-2005'])
        expect((await store.list({ query: { modifiedUntil: loaded }, rows: 10 })).total).toBe(3)
        expect((await scanned(store, { modifiedFrom: changed, type: 'book' })).flat()).toEqual([])
      })
    })
  })
}
