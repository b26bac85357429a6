import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { recordProblems } from '../../src/catalogue/validate-record.js'
import { crashOriginal, crashRuns } from '../fixtures/crash-runs.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

const RUNS = 3
const directory = mkdtempSync(join(tmpdir(), 'citeserve-crash-pg-'))
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
  // Loaded through a store of the test's own, which the database closes when it is dropped.
  const store = await database.open()
  await store.write(crashOriginal.map((item) => ({ kind: 'put' as const, item })))
})
afterAll(async () => {
  await database?.drop()
  rmSync(directory, { recursive: true, force: true })
})

/** The works in the database, by id, read with SQL rather than through the store; and its state row agreeing with them. */
async function inDatabase(): Promise<Map<string, CslItem>> {
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  try {
    const { rows } = await client.query<{ id: string; item: CslItem }>('SELECT id, item FROM works')
    const state = await client.query<{ works: string }>('SELECT works FROM catalogue_state')
    expect(Number(state.rows[0]?.works), 'catalogue_state counts the rows').toBe(rows.length)
    expect(rows.flatMap(({ item }, index) => recordProblems(index, item))).toEqual([])
    return new Map(rows.map(({ id, item }) => [id, item]))
  } finally {
    await client.end()
  }
}

describe('writes and SIGKILL, with the PostgreSQL store', () => {
  it(`keep every acknowledged write, a consistent database and nothing else changed, over ${RUNS} kills at random moments`, async () => {
    await crashRuns({ directory, storeEnv: { DATABASE_URL: database.url }, stored: inDatabase }, RUNS)
  }, 120_000)
})
