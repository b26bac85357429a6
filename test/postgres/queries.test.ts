import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import { testApp } from '../fixtures/app.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

let database: TestDatabase
let app: FastifyInstance

const works = Array.from({ length: 5 }, (_, index) => ({ id: `volume-${index}`, type: 'book' as const, title: `Volume ${index}` }))

beforeAll(async () => {
  database = await createTestDatabase()
  const store = await database.open()
  await loadWorks(store, works)
  app = await testApp({ store })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})

describe('Crossref queries over the PostgreSQL store', () => {
  it('walks a search by cursor, each work once', async () => {
    const walked: string[] = []
    let cursor: string | undefined = '*'
    while (cursor !== undefined) {
      const response: Awaited<ReturnType<FastifyInstance['inject']>> = await app.inject(`/works?query=volume&rows=2&cursor=${cursor}`)
      const { message } = response.json<{ message: { items: { id: string }[]; 'next-cursor'?: string } }>()
      walked.push(...message.items.map((item) => item.id))
      cursor = message['next-cursor']
    }
    expect(walked).toEqual(works.map((work) => work.id))
  })

  it('answers filters, facets, field queries, sort and select through the API', async () => {
    const response = await app.inject(
      '/works?filter=type:book&facet=type-name:*&query.title=volume&sort=title&order=desc&select=id,title&rows=2',
    )
    expect(response.statusCode).toBe(200)
    const { message } = response.json<{
      message: { 'total-results': number; items: Record<string, unknown>[]; facets: Record<string, { values: Record<string, number> }> }
    }>()
    expect(message['total-results']).toBe(5)
    expect(message.items).toEqual([
      { id: 'volume-4', title: 'Volume 4' },
      { id: 'volume-3', title: 'Volume 3' },
    ])
    expect(message.facets['type-name']?.values).toEqual({ book: 5 })
  })
})
