// The PostgreSQL store for `BENCH_PARTS=scale`: a database of its own, created for the run and dropped
// after it, on the server BENCH_DATABASE_URL names (the machine's own by default). Loading is the
// migration plus the store's bulk loader, as moving a file catalogue into a database goes.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { readCatalogueFile } from '../scripts/catalogue-file.js'
import { loadWorks } from '../src/catalogue/postgres/load-works.js'
import { migrateDatabase } from '../src/catalogue/postgres/migrate.js'
import { PostgresStore } from '../src/catalogue/postgres/postgres-store.js'
import { storeWriter, type StoreBackend } from './store-backend.js'

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

/** Runs one statement on the server's maintenance database (CREATE DATABASE cannot run in a transaction). */
async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL })
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

export function postgresBackend(): StoreBackend {
  const name = `citeserve_bench_${randomBytes(6).toString('hex')}`
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  const databaseUrl = url.toString()
  let created = false
  return {
    name: 'postgres',
    async prepare(file) {
      await onServer(`CREATE DATABASE ${name}`)
      created = true
      const started = performance.now()
      await migrateDatabase(databaseUrl)
      const store = await openStore(databaseUrl)
      try {
        await loadWorks(store, readCatalogueFile(file))
      } finally {
        await store.close()
      }
      return { env: { DATABASE_URL: databaseUrl }, loadMs: performance.now() - started }
    },
    writer: async () => storeWriter(await openStore(databaseUrl)),
    async cleanup() {
      if (created) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}
