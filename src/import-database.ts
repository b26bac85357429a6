// `citeserve import … --into postgres://…`: the PostgreSQL store as the importer's target.
import { migrateDatabase } from './catalogue/postgres/migrate.js'
import { PostgresStore } from './catalogue/postgres/postgres-store.js'
import { loadConfig } from './config.js'
import { databaseOptions, describeDatabase } from './database.js'
import type { OpenedTarget } from './import/command.js'
import { DatabaseTarget } from './import/database-target.js'

/**
 * Migrates the database at `url` and opens its store as an import target, with the pool settings
 * the environment's configuration gives a server; closing it closes the store.
 */
export async function openDatabaseTarget(url: string, env: NodeJS.ProcessEnv): Promise<OpenedTarget> {
  const options = databaseOptions(loadConfig({ ...env, DATABASE_URL: url, DATABASE_READ_URL: undefined }))
  if (options === undefined) throw new Error('no database URL')
  await migrateDatabase(url)
  const store = await PostgresStore.open(options)
  return { target: new DatabaseTarget(store), name: `the database ${describeDatabase(url)}`, close: () => store.close() }
}
