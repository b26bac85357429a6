// The PostgreSQL store for `BENCH_PARTS=scale` and `queries`: a database of its own, created for the run
// and dropped after it, on the server BENCH_DATABASE_URL names (the machine's own by default). Loading is
// the migration plus the store's bulk loader, as moving a file catalogue into a database goes, then
// VACUUM (ANALYZE), as after any bulk load. BENCH_DATABASE names a database to keep instead: loaded by
// the first run (of the first size), reused as it is by the next ones, and left for the caller to drop.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { readCatalogueFile } from '../scripts/catalogue-file.js'
import { loadWorks } from '../src/catalogue/postgres/load-works.js'
import { migrateDatabase } from '../src/catalogue/postgres/migrate.js'
import { PostgresStore } from '../src/catalogue/postgres/postgres-store.js'
import { storeWriter, type StoreBackend } from './store-backend.js'

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

/** Runs one statement on the server's maintenance database (CREATE DATABASE cannot run in a transaction). */
const onServer = (sql: string) => onDatabase(SERVER_URL, sql)

/** Runs one statement, outside any transaction, on the database at `url`. */
async function onDatabase(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

function openStore(url: string): Promise<PostgresStore> {
  return PostgresStore.open({ url, poolSize: 2, statementTimeoutMs: 0, connectTimeoutMs: 5000, cacheEntries: 100 })
}

/** How many works the database holds, or undefined when there is no such database or it has no works. */
async function worksIn(url: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch {
    return undefined
  }
  try {
    const { rows } = await client.query<{ works: string }>('SELECT works FROM catalogue_state')
    const works = Number(rows[0]?.works ?? 0)
    return works > 0 ? works : undefined
  } catch {
    return undefined
  } finally {
    await client.end()
  }
}

export function postgresBackend(): StoreBackend {
  const kept = process.env.BENCH_DATABASE
  const name = kept ?? `citeserve_bench_${randomBytes(6).toString('hex')}`
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE: "${name}" is not a plain database name`)
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  const databaseUrl = url.toString()
  let created = false
  return {
    name: 'postgres',
    async prepare(file) {
      const env = { DATABASE_URL: databaseUrl }
      if (kept !== undefined && (await worksIn(databaseUrl)) !== undefined) {
        // Brought up to date in case it was loaded by an older schema; a no-op otherwise.
        await migrateDatabase(databaseUrl)
        return { env }
      }
      if (kept === undefined || !(await databaseExists(name))) await onServer(`CREATE DATABASE ${name}`)
      created = kept === undefined
      const started = performance.now()
      await migrateDatabase(databaseUrl)
      const store = await openStore(databaseUrl)
      try {
        await loadWorks(store, readCatalogueFile(file))
      } finally {
        await store.close()
      }
      const loadMs = performance.now() - started
      await onDatabase(databaseUrl, 'VACUUM (ANALYZE) works')
      return { env, loadMs }
    },
    writer: async () => storeWriter(await openStore(databaseUrl)),
    async cleanup() {
      if (created) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: SERVER_URL })
  await client.connect()
  try {
    return (await client.query('SELECT FROM pg_database WHERE datname = $1', [name])).rowCount === 1
  } finally {
    await client.end()
  }
}
