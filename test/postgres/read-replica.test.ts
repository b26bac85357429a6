import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresStore } from '../../src/catalogue/postgres/postgres-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { Cluster } from './fixtures/cluster.js'
import { createTestDatabase, withDatabase, type TestDatabase } from './fixtures/database.js'

// A primary and a streaming standby of its own, made with pg_basebackup -R, which applies each
// transaction only after a delay: a read from it right after a change would see the work as it was.
const STANDBY_DELAY_MS = 300
let primary: Cluster
let standby: Cluster
let database: TestDatabase
let writer: PostgresStore
let reader: PostgresStore

const item = (id: string, title: string): CslItem => ({ id, type: 'book', title })

beforeAll(async () => {
  primary = await Cluster.create('citeserve_primary', 5441)
  database = await createTestDatabase({ server: primary.url() })
  standby = await Cluster.standbyOf(primary, 'citeserve_standby', 5442, STANDBY_DELAY_MS)
  const readUrl = withDatabase(standby.url(), new URL(database.url).pathname.slice(1))
  writer = await database.open({ readUrl })
  reader = await database.open({ readUrl })
})
afterAll(async () => {
  await database?.drop().catch(() => undefined)
  await standby?.drop()
  await primary?.drop()
})

/** The backends of the standby serving this test's database, by application name. */
async function standbyReaders(): Promise<number> {
  const client = new pg.Client(standby.url())
  await client.connect()
  try {
    const { rows } = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = 'citeserve-standby' AND datname = $1`,
      [new URL(database.url).pathname.slice(1)],
    )
    return rows[0]?.count ?? 0
  } finally {
    await client.end()
  }
}

describe('a store with a read replica', () => {
  it('reads from the standby, which is in recovery', async () => {
    const client = new pg.Client(withDatabase(standby.url(), new URL(database.url).pathname.slice(1)))
    await client.connect()
    expect((await client.query('SELECT pg_is_in_recovery() AS recovering')).rows[0].recovering).toBe(true)
    await client.end()
    await writer.write([{ kind: 'put', item: item('first', 'First') }])
    await new Promise((resolve) => setTimeout(resolve, STANDBY_DELAY_MS * 3))
    for (let round = 0; round < 5; round++) await reader.list({ query: { text: `first${round}` }, rows: 1 })
    expect(await standbyReaders()).toBeGreaterThan(0)
  })

  it('reads its own writes at once, however far the standby is behind', async () => {
    for (let round = 0; round < 30; round++) {
      await writer.write([{ kind: 'put', item: item(`own-${round}`, `Own ${round}`) }])
      expect((await writer.list({ query: { text: `own ${round}` }, rows: 5 })).works.map((work) => work.id)).toEqual([`own-${round}`])
      expect((await writer.find(`own-${round}`))?.item.title).toBe(`Own ${round}`)
    }
  })

  it('reads a change another replica made as soon as it is told of it', async () => {
    for (let round = 0; round < 10; round++) {
      await writer.write([{ kind: 'put', item: item('shared', `Shared ${round}`) }])
      const started = performance.now()
      let seen = false
      while (!seen && performance.now() - started < 1000) {
        seen = (await reader.find('shared'))?.item.title === `Shared ${round}`
        if (!seen) await new Promise((resolve) => setTimeout(resolve, 5))
      }
      expect(seen).toBe(true)
      // Once seen, never the older version again, though reads may go to the standby.
      for (let again = 0; again < 5; again++) expect((await reader.find('shared'))?.item.title).toBe(`Shared ${round}`)
    }
  })

  it('reads from the primary while the standby is down', async () => {
    await standby.stop()
    try {
      expect((await reader.list({ query: { text: 'first' }, rows: 5 })).works.map((work) => work.id)).toEqual(['first'])
    } finally {
      await standby.start()
    }
  })
})
