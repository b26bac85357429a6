import { fileURLToPath } from 'node:url'
import { runner } from 'node-pg-migrate'
import { backfillQueryColumns } from './backfill.js'

/** The SQL migrations, found relative to this module so that src/, dist/ and the image's /app all find them. */
const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('../../../migrations', import.meta.url))

/**
 * Brings the database's schema up to date, under node-pg-migrate's advisory lock: replicas starting
 * together wait for the first, which migrates, and then find nothing left to do. Then derives the
 * query columns of rows that lack them (backfillQueryColumns).
 * @returns the names of the migrations this call applied
 */
export async function migrateDatabase(databaseUrl: string, log: (message: string) => void = () => undefined): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIRECTORY,
    direction: 'up',
    migrationsTable: 'schema_migrations',
    advisoryLockMode: 'wait',
    log,
  })
  const derived = await backfillQueryColumns(databaseUrl)
  if (derived > 0) log(`derived the query columns of ${derived} works`)
  return applied.map((migration) => migration.name)
}
