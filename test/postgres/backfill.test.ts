import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDatabase } from '../../src/catalogue/postgres/migrate.js'
import { createTestDatabase, migrateFirst, type TestDatabase } from './fixtures/database.js'

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false })
})
afterAll(() => database?.drop())

describe('a database written before the query columns', () => {
  it('gets them derived when it is migrated, and answers queries as if loaded now', async () => {
    // The first migration alone, and rows as the store wrote them then.
    await migrateFirst(database.url, 1)
    const client = new pg.Client(database.url)
    await client.connect()
    try {
      const old = (id: string, item: object) =>
        client.query(`INSERT INTO works (id, key, type, item, search, version) VALUES ($1, $1, 'book', $2, '', 'v')`, [
          id,
          JSON.stringify(item),
        ])
      await old('one', { id: 'one', type: 'book', title: 'Coral reefs', issued: { 'date-parts': [[2001, 5]] }, ISBN: '0-306-40615-2' })
      await old('two', { id: 'two', type: 'book', title: 'Algebra', 'container-title': 'Book Series', language: 'de' })
    } finally {
      await client.end()
    }
    const messages: string[] = []
    await migrateDatabase(database.url, (message) => messages.push(message))
    expect(messages).toContain('derived the query columns of 2 works')
    const store = await database.open()
    const list = (request: Parameters<typeof store.list>[0]) => store.list(request).then((page) => page.works.map((work) => work.id))
    expect(await list({ query: { filters: { isbn: ['0306406152'] } }, rows: 10 })).toEqual(['one'])
    expect(await list({ query: { fields: { title: 'reefs' } }, rows: 10 })).toEqual(['one'])
    expect(await list({ query: {}, rows: 10, sort: { by: 'published', order: 'desc' } })).toEqual(['one', 'two'])
    const { facets } = await store.list({ query: {}, rows: 0, facets: [{ name: 'language', limit: 10 }] })
    expect(facets).toEqual({ language: { 'value-count': 1, values: { de: 1 } } })
    // Nothing is left to derive.
    const again: string[] = []
    await migrateDatabase(database.url, (message) => again.push(message))
    expect(again.filter((message) => message.startsWith('derived'))).toEqual([])
  })
})
