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

  it('refuses the parameters it cannot answer yet, naming each, rather than ignoring them', async () => {
    const response = await app.inject('/works?filter=type:book&facet=type-name:*&query.title=volume&sort=title')
    expect(response.statusCode).toBe(400)
    const names = response.json<{ errors: { name: string }[] }>().errors.map((error) => error.name)
    expect(names.sort()).toEqual(['facet', 'filter', 'query.title', 'sort'])
  })
})
