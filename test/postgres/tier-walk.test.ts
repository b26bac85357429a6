import { describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import type { ListRequest } from '../../src/catalogue/store.js'
import { bothStores, type BothStores } from './fixtures/both-stores.js'

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
  const stores = bothStores(items)

  it.each(requests)('gives the file store’s page: %s', async (_name, request) => {
    const ids = async (store: BothStores[keyof BothStores]) => (await store.list(request)).works.map((found) => found.id)
    const expected = await ids(stores.file)
    expect(expected).toHaveLength(5)
    expect(await ids(stores.postgres)).toEqual(expected)
  })
})
