import type { Logger } from 'pino'
import { migrateDatabase } from './catalogue/postgres/migrate.js'
import type { PostgresStoreOptions } from './catalogue/postgres/options.js'
import { PostgresStore } from './catalogue/postgres/postgres-store.js'
import { ConfigError, type Config } from './config.js'

/** The PostgreSQL store's options from the configuration, or undefined when the catalogue is the data file. */
export function databaseOptions(config: Config, logger?: Logger): PostgresStoreOptions | undefined {
  if (config.DATABASE_URL === undefined) {
    if (config.DATABASE_READ_URL !== undefined) throw new ConfigError('DATABASE_READ_URL is set without DATABASE_URL: a standby needs its primary')
    return undefined
  }
  return {
    url: config.DATABASE_URL,
    readUrl: config.DATABASE_READ_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    cacheEntries: config.DATABASE_CACHE_ENTRIES,
    log: logger,
  }
}

/** Opens the PostgreSQL store, migrating the database first unless DATABASE_MIGRATE says not to. */
export async function openDatabaseStore(config: Config, options: PostgresStoreOptions, logger: Logger): Promise<PostgresStore> {
  if (config.DATABASE_MIGRATE === 'start') {
    const applied = await migrateDatabase(options.url)
    logger.info({ applied }, applied.length === 0 ? 'database schema up to date' : 'database schema migrated')
  }
  return PostgresStore.open(options)
}
