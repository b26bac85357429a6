import { afterAll, beforeAll } from 'vitest'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import { queryContract } from '../catalogue/query-contract.js'
import { storeContract, type OpenStore } from '../catalogue/store-contract.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

// The store and query contracts the file store passes, with the same expectations. Each store gets a
// database of its own, copied from one migrated template, which is quicker than migrating each.
let template: TestDatabase

beforeAll(async () => {
  template = await createTestDatabase()
})
afterAll(() => template?.drop())

const openStore: OpenStore = async (items) => {
  const database = await createTestDatabase({ template: template.name })
  try {
    const store = await database.open()
    await loadWorks(store, items)
    return { store, close: () => database.drop() }
  } catch (error) {
    await database.drop()
    throw error
  }
}

storeContract('the PostgreSQL store', openStore)
queryContract('the PostgreSQL store', openStore)
