// The PostgreSQL store for `BENCH_PARTS=scale`: a database of its own on the server BENCH_DATABASE_URL
// names (the machine's own by default). Loading is the migration plus the store's bulk loader, as
// moving a file catalogue into a database goes. By default the database is made for the run and
// dropped after it; BENCH_DATABASE=name keeps `name_<size>` instead, loaded by the first run and
// reused as it is by the next ones (migrated, in case an older schema loaded it), since loading a
// million works takes minutes. A load ends with VACUUM (ANALYZE), as after any bulk load.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { readCatalogueFile } from '../scripts/catalogue-file.js'
import { loadWorks } from '../src/catalogue/postgres/load-works.js'
import { migrateDatabase } from '../src/catalogue/postgres/migrate.js'
import { PostgresStore } from '../src/catalogue/postgres/postgres-store.js'
import { storeWriter, type StoreBackend } from './store-backend.js'

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
const KEPT = process.env.BENCH_DATABASE

/** Runs one statement on a database of the server (the maintenance one by default: CREATE DATABASE cannot run in a transaction). */
async function onServer<R extends pg.QueryResultRow>(sql: string, values: unknown[] = [], url = SERVER_URL): Promise<R[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<R>(sql, values)).rows
  } finally {
    await client.end()
  }
}

function openStore(url: string): Promise<PostgresStore> {
  return PostgresStore.open({ url, poolSize: 2, statementTimeoutMs: 0, connectTimeoutMs: 5000, cacheEntries: 100 })
}

/** How many works a kept database holds, or undefined when it does not exist or was never migrated. */
async function worksIn(name: string, url: string): Promise<number | undefined> {
  const [exists] = await onServer('SELECT 1 FROM pg_database WHERE datname = $1', [name])
  if (exists === undefined) return undefined
  const [state] = await onServer<{ works: string | null }>(
    "SELECT CASE WHEN to_regclass('catalogue_state') IS NULL THEN NULL ELSE (SELECT works::text FROM catalogue_state) END AS works",
    [],
    url,
  )
  return state?.works === null || state?.works === undefined ? undefined : Number(state.works)
}

export function postgresBackend(): StoreBackend {
  let name = KEPT ?? `citeserve_bench_${randomBytes(6).toString('hex')}`
  let created = false
  const urlOf = (database: string) => {
    const url = new URL(SERVER_URL)
    url.pathname = `/${database}`
    return url.toString()
  }
  return {
    name: 'postgres',
    async prepare(catalogue) {
      if (KEPT !== undefined) {
        name = `${KEPT}_${catalogue.size}`
        const works = await worksIn(name, urlOf(name))
        if (works === catalogue.size) {
          await migrateDatabase(urlOf(name))
          return { env: { DATABASE_URL: urlOf(name) } }
        }
        if (works !== undefined && works > 0)
          throw new Error(`BENCH_DATABASE: ${name} holds ${works} works, not ${catalogue.size}; drop it to load it again`)
      }
      if ((await onServer('SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 0) {
        await onServer(`CREATE DATABASE ${name}`)
        created = KEPT === undefined
      }
      const databaseUrl = urlOf(name)
      const file = await catalogue.file()
      const started = performance.now()
      await migrateDatabase(databaseUrl)
      const store = await openStore(databaseUrl)
      try {
        await loadWorks(store, readCatalogueFile(file))
      } finally {
        await store.close()
      }
      const loadMs = performance.now() - started
      await onServer('VACUUM (ANALYZE) works', [], databaseUrl)
      return { env: { DATABASE_URL: databaseUrl }, loadMs }
    },
    writer: async () => storeWriter(await openStore(urlOf(name))),
    async cleanup() {
      if (created) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}
