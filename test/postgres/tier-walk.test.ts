import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileStore } from '../../src/catalogue/file-store.js'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import type { PostgresStore } from '../../src/catalogue/postgres/postgres-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import type { ListRequest } from '../../src/catalogue/store.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

// A relevance tier large enough to be walked in catalogue order, laid out so that the walk finds its
// page at once (the tier's works spread through the catalogue) or not within its budget (all of them
// at its end), when the store must collect the tier instead. Both give the file store's pages.

const work = (index: number, title: string): CslItem => ({ id: `w${index}`, type: 'book', title })
const spread = Array.from({ length: 400 }, (_, index) => work(index, index % 4 === 0 ? `Coral reefs ${index}` : `Algebra notes ${index}`))
const atTheEnd = Array.from({ length: 400 }, (_, index) => work(index, index >= 300 ? `Coral reefs ${index}` : `Algebra notes ${index}`))

const requests: [string, ListRequest][] = [
  ['the first page', { query: { text: 'coral reefs' }, rows: 5, sort: { by: 'relevance', order: 'desc' } }],
  ['a page from an offset', { query: { text: 'coral reefs' }, rows: 5, offset: 12, sort: { by: 'relevance', order: 'desc' } }],
]

describe.each([
  ['spread through the catalogue', spread],
  ['at the end of the catalogue', atTheEnd],
])('a large tier %s', (_layout, items) => {
  let database: TestDatabase
  let postgres: PostgresStore
  let file: FileStore

  beforeAll(async () => {
    database = await createTestDatabase()
    postgres = await database.open()
    await loadWorks(postgres, items)
    file = await FileStore.fromItems(items)
  })
  afterAll(async () => {
    await file?.close()
    await database?.drop()
  })

  it.each(requests)('gives the file store’s page: %s', async (_name, request) => {
    const ids = async (store: PostgresStore | FileStore) => (await store.list(request)).works.map((found) => found.id)
    const expected = await ids(file)
    expect(expected).toHaveLength(5)
    expect(await ids(postgres)).toEqual(expected)
  })
})
