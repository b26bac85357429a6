import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import { REFERENCES, REFERENCE_WORKS, referenceStringMisses } from '../catalogue/reference-strings.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database?.drop())

describe('reference strings on a PostgreSQL catalogue of 100,000 works', () => {
  it('find the work they cite first, at least 95 times in 100', async () => {
    const items = syntheticCatalogue(REFERENCE_WORKS)
    // A reference string's common words match most of the catalogue, and every match is scored.
    const store = await database.open({ statementTimeoutMs: 60_000 })
    await loadWorks(store, items)
    const misses = await referenceStringMisses(store, items)
    expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(REFERENCES * 0.05)
  }, 900_000)
})
