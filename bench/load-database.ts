// Loads a synthetic catalogue into the PostgreSQL database at DATABASE_URL (migrated first; it should
// hold no works) with the bulk loader, and reports how long that took and how large the database is.
//   DATABASE_URL=postgres://… npm run bench:load-database -- 1000000
import pg from 'pg'
import { loadWorks } from '../src/catalogue/postgres/load-works.js'
import { migrateDatabase } from '../src/catalogue/postgres/migrate.js'
import { PostgresStore } from '../src/catalogue/postgres/postgres-store.js'
import { syntheticWorks } from '../scripts/synthetic-catalogue.js'

const url = process.env.DATABASE_URL
if (url === undefined) throw new Error('set DATABASE_URL to the database to load into')
const count = Number(process.argv[2] ?? 1_000_000)

await migrateDatabase(url)
const store = await PostgresStore.open({ url, poolSize: 2, statementTimeoutMs: 60_000, connectTimeoutMs: 5000, cacheEntries: 1 })
const started = performance.now()
// The works are generated as they are loaded, as an import reads them: no catalogue waits in memory.
const { works } = await loadWorks(store, syntheticWorks(count))
const loadSeconds = (performance.now() - started) / 1000
await store.close()

const client = new pg.Client(url)
await client.connect()
await client.query('VACUUM ANALYZE works')
const { rows } = await client.query<{ database: string; table: string; indexes: string }>(
  `SELECT pg_size_pretty(pg_database_size(current_database())) AS database,
          pg_size_pretty(pg_table_size('works')) AS table, pg_size_pretty(pg_indexes_size('works')) AS indexes`,
)
await client.end()
process.stdout.write(
  `${JSON.stringify({ works, loadSeconds: Number(loadSeconds.toFixed(1)), worksPerSecond: Math.round(works / loadSeconds), ...rows[0] })}\n`,
)
