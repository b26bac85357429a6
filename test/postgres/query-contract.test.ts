import { afterAll, beforeAll } from 'vitest'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import { queryContract } from '../catalogue/query-contract.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

let template: TestDatabase

beforeAll(async () => {
  template = await createTestDatabase()
})
afterAll(() => template?.drop())

queryContract('the PostgreSQL store', async (items) => {
  const database = await createTestDatabase({ template: template.name })
  try {
    const store = await database.open()
    await loadWorks(store, items)
    return { store, close: () => database.drop() }
  } catch (error) {
    await database.drop()
    throw error
  }
})
