import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresStore } from '../../src/catalogue/postgres/postgres-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

// Two store instances on one database stand for two replicas of the service.
let database: TestDatabase
let first: PostgresStore
let second: PostgresStore

beforeAll(async () => {
  database = await createTestDatabase()
  first = await database.open()
  second = await database.open()
})
afterAll(() => database?.drop())

const item = (id: string, title: string): CslItem => ({ id, type: 'article-journal', title })

/** How long until `second` finds the title written, checked every few milliseconds, up to `limitMs`. */
async function msUntilSeen(store: PostgresStore, id: string, title: string | undefined, limitMs = 3000): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < limitMs) {
    if ((await store.find(id))?.item.title === title) return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return Infinity
}

/** How long until `check` holds, checked every few milliseconds, up to `limitMs`. */
async function msUntil(check: () => Promise<boolean>, limitMs = 3000): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return Infinity
}

/** Runs SQL on the database outside the stores, as another tool would. */
async function asAnotherTool(sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client(database.url)
  await client.connect()
  try {
    return await client.query(sql, values)
  } finally {
    await client.end()
  }
}

describe('two replicas on one database', () => {
  it('sees a change made through the other within a second, though it had the work cached', async () => {
    await first.write([{ kind: 'put', item: item('shared', 'Before') }])
    expect((await second.find('shared'))?.item.title).toBe('Before')
    // Cached now: a second lookup answers from memory.
    expect((await second.find('shared'))?.item.title).toBe('Before')
    await first.write([{ kind: 'put', item: item('shared', 'After') }])
    expect(await msUntilSeen(second, 'shared', 'After')).toBeLessThan(1000)
    const [state1, state2] = await Promise.all([first.state(), second.state()])
    expect(state2.version).toBe(state1.version)
  })

  it('sees deletions, and rows changed by another tool with plain SQL', async () => {
    await first.write([{ kind: 'put', item: item('gone', 'Here') }])
    expect((await second.find('gone'))?.item.title).toBe('Here')
    await first.write([{ kind: 'delete', id: 'gone' }])
    expect(await msUntilSeen(second, 'gone', undefined)).toBeLessThan(1000)

    expect((await second.find('shared'))?.item.title).toBe('After')
    await asAnotherTool(`UPDATE works SET item = jsonb_set(item, '{title}', '"By hand"') WHERE id = 'shared'`)
    expect(await msUntilSeen(second, 'shared', 'By hand')).toBeLessThan(1000)
  })

  it('misses no change while its listening connection is down, and listens again', async () => {
    await first.write([{ kind: 'put', item: item('listened', 'One') }])
    expect((await second.find('listened'))?.item.title).toBe('One')
    // Both stores' listeners go: the change is made while neither hears it.
    const { rowCount } = await asAnotherTool(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'citeserve-listener'`,
    )
    expect(rowCount).toBe(2)
    await first.write([{ kind: 'put', item: item('listened', 'Two') }])
    expect(await msUntilSeen(second, 'listened', 'Two')).toBeLessThan(1000)

    // Listening again: the next change is heard, and the cache serves in between.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const { rows } = await asAnotherTool(
      `SELECT count(*)::int AS listeners FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'citeserve-listener'`,
    )
    expect(rows[0].listeners).toBe(2)
    await first.write([{ kind: 'put', item: item('listened', 'Three') }])
    expect(await msUntilSeen(second, 'listened', 'Three')).toBeLessThan(1000)
  })

  it('counts a result again once the catalogue changed, through either replica or by hand', async () => {
    const search = { query: { text: 'tallied' }, rows: 5 }
    const sorted = { ...search, sort: { by: 'title', order: 'asc' } as const }
    const faceted = { ...sorted, facets: [{ name: 'type-name', limit: 5 } as const] }
    const totals = async () => [
      (await second.list(search)).total,
      (await second.list(sorted)).total,
      (await second.list(faceted)).facets?.['type-name']?.values['article-journal'],
    ]
    await first.write([{ kind: 'put', item: item('tally-1', 'Tallied reefs') }])
    expect(await totals()).toEqual([1, 1, 1])
    expect(await totals()).toEqual([1, 1, 1])
    await first.write([{ kind: 'put', item: item('tally-2', 'Tallied atolls') }])
    expect(await msUntil(async () => (await totals()).every((total) => total === 2))).toBeLessThan(1000)
    // Its own write is counted at once.
    await second.write([{ kind: 'put', item: item('tally-3', 'Tallied lagoons') }])
    expect(await totals()).toEqual([3, 3, 3])
    await asAnotherTool(`DELETE FROM works WHERE id = 'tally-1'`)
    expect(await msUntil(async () => (await totals()).every((total) => total === 2))).toBeLessThan(1000)
  })

  it('reads its own write at once', async () => {
    for (let round = 0; round < 20; round++) {
      await second.write([{ kind: 'put', item: item('own', `Round ${round}`) }])
      expect((await second.find('own'))?.item.title).toBe(`Round ${round}`)
    }
  })
})
