import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadWorks } from '../../src/catalogue/postgres/load-works.js'
import { testApp } from '../fixtures/app.js'
import { ServerProcess } from '../fixtures/server-process.js'
import { Cluster } from './fixtures/cluster.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

// The app over a PostgreSQL store, on a cluster of this file's own that the test stops and starts.
let cluster: Cluster
let database: TestDatabase
let app: FastifyInstance

const works = [
  { id: 'cached', type: 'book' as const, title: 'Read before the fault', DOI: '10.5555/cached' },
  { id: 'uncached', type: 'book' as const, title: 'Never read before the fault' },
]

beforeAll(async () => {
  cluster = await Cluster.create('citeserve_http', 5444)
  database = await createTestDatabase({ server: cluster.url() })
  const store = await database.open({ statementTimeoutMs: 1000, connectTimeoutMs: 500 })
  await loadWorks(store, works)
  app = await testApp({ store })
})
afterAll(async () => {
  await app?.close()
  await cluster?.start().catch(() => undefined)
  await database?.drop().catch(() => undefined)
  await cluster?.drop()
})

describe('the service over a PostgreSQL store', () => {
  it('answers 503 problems with Retry-After while the database is down, and recovers by itself', async () => {
    expect((await app.inject('/health/ready')).json()).toEqual({ status: 'ok', works: 2 })
    expect((await app.inject('/works/cached')).statusCode).toBe(200)
    await cluster.stop()
    try {
      const ready = await app.inject('/health/ready')
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toEqual({ status: 'unavailable', state: 'catalogue-unavailable' })
      for (const url of ['/works/uncached', '/works?query=fault', '/works/uncached/citation?format=bibtex']) {
        const started = performance.now()
        const response = await app.inject(url)
        expect(performance.now() - started, url).toBeLessThan(2000)
        expect(response.statusCode, url).toBe(503)
        expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/)
        expect(Number(response.headers['retry-after']), url).toBeGreaterThan(0)
        const problem = response.json<{ type: string; detail: string }>()
        expect(problem.type).toBe('/problems/catalogue-unavailable')
        // No stack trace, address or driver message reaches the client.
        expect(response.body).not.toMatch(/ECONNREFUSED|5444|at .*\.ts|node_modules/)
      }
    } finally {
      await cluster.start()
    }
    const back = performance.now()
    let status = 0
    while (status !== 200 && performance.now() - back < 5000) {
      status = (await app.inject('/works/uncached')).statusCode
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(status).toBe(200)
    expect(performance.now() - back).toBeLessThan(2000)
    expect((await app.inject('/health/ready')).statusCode).toBe(200)
  })

  it('is what the server serves when DATABASE_URL is set, migrating the database at start', async () => {
    const fresh = await createTestDatabase({ server: cluster.url(), migrate: false })
    const server = new ServerProcess({ DATABASE_URL: fresh.url, HOST: '127.0.0.1', PORT: '0', LOG_FORMAT: 'json', WARM_WORKS: '0' })
    try {
      const base = await server.ready()
      const ready = await fetch(`${base}/health/ready`)
      expect(await ready.json()).toEqual({ status: 'ok', works: 0 })
      expect((await fetch(`${base}/works/nothing`)).status).toBe(404)
      expect(server.logLines().some((line) => line.msg === 'database schema migrated')).toBe(true)
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
      await fresh.drop()
    }
  })

  it('refuses to start on a database it cannot reach, naming it without the password', async () => {
    const server = new ServerProcess({ DATABASE_URL: 'postgres://someone:secret@127.0.0.1:5445/nowhere', PORT: '0', LOG_FORMAT: 'json' })
    expect(await server.exited).toBe(1)
    expect(server.stderr).toMatch(/cannot start: DATABASE_URL \(127\.0\.0\.1:5445\/nowhere\)/)
    expect(server.stderr).not.toMatch(/secret|\n\s+at /)
  })
})
