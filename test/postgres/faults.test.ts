import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresStore } from '../../src/catalogue/postgres/postgres-store.js'
import { StoreUnavailableError } from '../../src/catalogue/store.js'
import { Cluster } from './fixtures/cluster.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

// A cluster of this file's own, which the test stops and starts.
let cluster: Cluster
let database: TestDatabase
let store: PostgresStore

beforeAll(async () => {
  cluster = await Cluster.create('citeserve_faults', 5443)
  database = await createTestDatabase({ server: cluster.url() })
  store = await database.open({ statementTimeoutMs: 1000, connectTimeoutMs: 500 })
  await store.write([
    { kind: 'put', item: { id: 'cached', type: 'book', title: 'Kept in memory' } },
    { kind: 'put', item: { id: 'uncached', type: 'book', title: 'Only in the database' } },
  ])
  // The notification of that write, which invalidates the works again, arrives before the test caches one.
  await new Promise((resolve) => setTimeout(resolve, 300))
})
afterAll(async () => {
  await cluster?.start().catch(() => undefined)
  await database?.drop().catch(() => undefined)
  await cluster?.drop()
})

/** How long `operation` takes to settle, and how it settled. */
async function timed<T>(operation: () => Promise<T>): Promise<{ ms: number; result?: T; error?: unknown }> {
  const started = performance.now()
  try {
    const result = await operation()
    return { ms: performance.now() - started, result }
  } catch (error) {
    return { ms: performance.now() - started, error }
  }
}

describe('the PostgreSQL store when its server stops and starts again', () => {
  it('reports itself unhealthy and fails fast while the server is down, and recovers by itself within 2 s', async () => {
    expect(await store.health()).toEqual({ ok: true })
    expect((await store.find('cached'))?.item.title).toBe('Kept in memory')
    await cluster.stop()

    const health = await timed(() => store.health())
    expect(health.result).toMatchObject({ ok: false, reason: expect.any(String) })
    expect(health.ms).toBeLessThan(1000)
    const operations: (() => Promise<unknown>)[] = [
      () => store.find('uncached'),
      () => store.list({ query: { text: 'database' }, rows: 10 }),
      () => store.write([{ kind: 'put', item: { id: 'new', type: 'book', title: 'Lost?' } }]),
    ]
    for (const operation of operations) {
      const outcome = await timed(operation)
      expect(outcome.error).toBeInstanceOf(StoreUnavailableError)
      expect(outcome.ms).toBeLessThan(1500)
    }
    // A work the process had cached is still served while the database is away.
    expect((await store.find('cached'))?.item.title).toBe('Kept in memory')

    await cluster.start()
    const back = performance.now()
    let recovered = Infinity
    while (performance.now() - back < 5000) {
      const outcome = await timed(() => store.find('uncached'))
      if (outcome.result !== undefined) {
        recovered = performance.now() - back
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(recovered).toBeLessThan(2000)
    expect(await store.health()).toEqual({ ok: true })
    await store.write([{ kind: 'put', item: { id: 'new', type: 'book', title: 'Written after' } }])
    expect((await store.find('new'))?.item.title).toBe('Written after')
  })

  it('does not wait beyond the statement timeout for a statement that hangs', async () => {
    const outcome = await timed(() => store.transaction((client) => client.query('SELECT pg_sleep(10)')))
    expect(outcome.error).toBeInstanceOf(StoreUnavailableError)
    expect(outcome.ms).toBeLessThan(2000)
    expect(await store.health()).toEqual({ ok: true })
  })
})
