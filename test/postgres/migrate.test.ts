import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDatabase } from '../../src/catalogue/postgres/migrate.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

let database: TestDatabase
let other: TestDatabase

beforeAll(async () => {
  ;[database, other] = await Promise.all([createTestDatabase({ migrate: false }), createTestDatabase({ migrate: false })])
})
afterAll(() => Promise.all([database?.drop(), other?.drop()]))

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(url)
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

describe('the migrations', () => {
  it('run once when ten replicas start at once, and the others wait for them', async () => {
    const applied = await Promise.all(Array.from({ length: 10 }, () => migrateDatabase(database.url)))
    const migrating = applied.filter((names) => names.length > 0)
    expect(migrating).toHaveLength(1)
    const names = migrating[0] as string[]
    expect(names.length).toBeGreaterThan(0)
    const recorded = await query<{ name: string }>(database.url, 'SELECT name FROM schema_migrations ORDER BY id')
    expect(recorded.map((row) => row.name)).toEqual(names)
    // Every replica could use the schema once its call returned.
    const tables = await query<{ count: string }>(database.url, `SELECT count(*) FROM works`)
    expect(tables[0]?.count).toBe('0')
  })

  it('run alone with `npm run migrate`, which names what it applied and then finds nothing to do', async () => {
    const run = () =>
      promisify(execFile)('npm', ['run', '--silent', 'migrate'], { env: { ...process.env, DATABASE_URL: other.url }, encoding: 'utf8' })
    const first = await run()
    expect(first.stdout).toMatch(/applied \d+_works/)
    const second = await run()
    expect(second.stdout).toMatch(/up to date/)
  })

  it('refuse to run without DATABASE_URL, saying so', async () => {
    const { DATABASE_URL: _unset, ...env } = process.env
    const failure = await promisify(execFile)('npm', ['run', '--silent', 'migrate'], { env, encoding: 'utf8' }).catch(
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/DATABASE_URL is not set/) })
  })
})
