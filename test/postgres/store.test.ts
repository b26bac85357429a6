import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresStore } from '../../src/catalogue/postgres/postgres-store.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

let database: TestDatabase
let store: PostgresStore

beforeAll(async () => {
  database = await createTestDatabase()
  store = await database.open()
})
afterAll(() => database?.drop())

describe('the PostgreSQL store', () => {
  it('writes and finds', async () => {
    const outcomes = await store.write([
      { kind: 'put', item: { id: 'a', type: 'book', title: 'Über Müller', DOI: '10.1/ABC' } },
      { kind: 'put', item: { id: 'b', type: 'article', title: 'Zwei', 'citation-key': 'a' } },
    ])
    expect(outcomes.map((o) => o.outcome)).toEqual(['created', 'created'])
    const a = await store.find('https://doi.org/10.1/abc')
    expect(a?.id).toBe('a')
    expect((await store.find('b'))?.key).toBe('a-2')
    expect((await store.list({ query: { text: 'muller uber' }, rows: 10 })).works.map((w) => w.id)).toEqual(['a'])
    expect(await store.types()).toEqual(['article', 'book'])
    expect((await store.state()).works).toBe(2)
  })
})
