import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import type { PostgresStore } from '../../src/catalogue/postgres/postgres-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { InvalidRecordsError, RecordConflictError, type StoredWork } from '../../src/catalogue/store.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

let loaded: TestDatabase
let written: TestDatabase
let refused: TestDatabase
let loadedStore: PostgresStore
let writtenStore: PostgresStore

beforeAll(async () => {
  ;[loaded, written, refused] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()])
  ;[loadedStore, writtenStore] = await Promise.all([loaded.open(), written.open()])
})
afterAll(() => Promise.all([loaded?.drop(), written?.drop(), refused?.drop()]))

/** The definitions of the indexes and constraints of `works`, by kind and name. */
async function indexesOf(database: TestDatabase): Promise<Record<string, string>> {
  const client = new pg.Client(database.url)
  await client.connect()
  try {
    const { rows } = await client.query<{ name: string; definition: string }>(
      `SELECT 'index ' || indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = 'works'
       UNION ALL SELECT 'constraint ' || conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'works'::regclass`,
    )
    return Object.fromEntries(rows.map((row) => [row.name, row.definition]))
  } finally {
    await client.end()
  }
}

async function* slowly<T>(items: readonly T[]): AsyncIterable<T> {
  for (const item of items) yield item
}

async function everything(store: PostgresStore): Promise<StoredWork[]> {
  const works: StoredWork[] = []
  for await (const batch of store.scan({}, { batchSize: 700 })) works.push(...batch)
  return works
}

// Records whose keys collide, as ids and asked-for keys, besides the synthetic ones.
const colliding: CslItem[] = [
  { id: 'smith 2020', type: 'book', title: 'One' },
  { id: 'smith-2020', type: 'book', title: 'Two' },
  { id: 'x', type: 'book', title: 'Three', 'citation-key': 'smith-2020-2' },
  // What COPY's text format must escape, in the record and in its id.
  { id: 'back\\slash', type: 'book', title: 'A "quoted" back\\slash,\ta tab,\na newline and \\N', DOI: '10.1/a\\b' },
]

describe('the bulk loader', () => {
  it('writes the rows write() would write: the same keys, versions, DOIs and search', async () => {
    const items = [...colliding, ...syntheticCatalogue(1500)]
    expect(await loadWorks(loadedStore, slowly(items))).toEqual({ works: items.length })
    for (let from = 0; from < items.length; from += 500) {
      await writtenStore.write(items.slice(from, from + 500).map((item) => ({ kind: 'put' as const, item })))
    }
    const strip = ({ id, key, item, version }: StoredWork) => ({ id, key, item, version })
    const [fromLoad, fromWrites] = await Promise.all([everything(loadedStore), everything(writtenStore)])
    expect(fromLoad.map(strip)).toEqual(fromWrites.map(strip))
    expect(fromLoad.slice(0, 4).map((work) => work.key)).toEqual(['smith-2020', 'smith-2020-2', 'smith-2020-2-2', 'back-slash'])
    expect((await loadedStore.find('back\\slash'))?.item).toEqual(colliding[3])
    const doi = items.find((item) => item.DOI !== undefined)?.DOI as string
    expect((await loadedStore.find(doi.toUpperCase()))?.item.DOI).toBe(doi)
    for (const query of ['muller', 'interleukin melanoma', 'garcia']) {
      const [a, b] = await Promise.all([
        loadedStore.list({ query: { text: query }, rows: 50 }),
        writtenStore.list({ query: { text: query }, rows: 50 }),
      ])
      expect(a.total).toBeGreaterThan(0)
      expect(a.total).toBe(b.total)
      expect(a.works.map((work) => work.id)).toEqual(b.works.map((work) => work.id))
    }
    expect(await loadedStore.state()).toMatchObject({ works: items.length })
    // Into an empty catalogue the indexes and constraints are dropped and made again: all of them, as migrated.
    expect(await indexesOf(loaded)).toEqual(await indexesOf(written))
  }, 120_000)

  it('leaves an empty catalogue with its indexes when a load into it fails', async () => {
    const indexes = await indexesOf(refused)
    const store = await refused.open()
    await expect(loadWorks(store, [...syntheticCatalogue(30), { id: 'bad', type: 'nonsense' }])).rejects.toBeInstanceOf(InvalidRecordsError)
    expect(await indexesOf(refused)).toEqual(indexes)
    expect((await store.state()).works).toBe(0)
  })

  it('adds after the works there are, and keys stay unique across the two', async () => {
    const more: CslItem[] = [{ id: 'smith/2020', type: 'book', title: 'Four' }]
    await loadWorks(loadedStore, more)
    expect((await loadedStore.find('smith/2020'))?.key).toBe('smith-2020-3')
  })

  it('loads nothing when a record is invalid or repeats an id, DOI or asked-for key', async () => {
    const before = await loadedStore.state()
    const fresh = (id: string): CslItem => ({ id, type: 'book', title: id })
    await expect(loadWorks(loadedStore, [fresh('new-1'), { id: 'bad', type: 'nonsense' }])).rejects.toBeInstanceOf(InvalidRecordsError)
    await expect(loadWorks(loadedStore, [fresh('new-2'), fresh('smith 2020')])).rejects.toMatchObject(
      new RecordConflictError('smith 2020', 'id', 'smith 2020'),
    )
    await expect(
      loadWorks(loadedStore, [fresh('new-3'), { ...fresh('new-4'), DOI: 'x' }, { ...fresh('new-5'), DOI: 'X' }]),
    ).rejects.toMatchObject(new RecordConflictError('new-5', 'DOI', 'new-4'))
    await expect(loadWorks(loadedStore, [fresh('new-6'), { ...fresh('new-7'), 'citation-key': 'smith-2020-2' }])).rejects.toMatchObject(
      new RecordConflictError('new-7', 'citation-key', 'x'),
    )
    expect(await loadedStore.find('new-1')).toBeUndefined()
    expect(await loadedStore.find('new-6')).toBeUndefined()
    expect((await loadedStore.state()).works).toBe(before.works)
  })
})
