import type { Logger } from 'pino'
import type { PostgresStoreOptions } from './catalogue/postgres/options.js'
import type { PostgresStore } from './catalogue/postgres/postgres-store.js'
import { ConfigError, type Config } from './config.js'

/** Why the catalogue's database cannot be used at start, naming it without its password. */
export class DatabaseError extends Error {
  override name = 'DatabaseError'
}

/** The database a URL names, as a person reads it: host, port and name, never the password. */
export function describeDatabase(url: string): string {
  const { hostname, port, pathname } = new URL(url)
  return `${hostname || 'localhost'}:${port || '5432'}${pathname}`
}

/** The PostgreSQL store's options from the configuration, or undefined when the catalogue is the data file. */
export function databaseOptions(config: Config, logger?: Logger): PostgresStoreOptions | undefined {
  if (config.DATABASE_URL === undefined) {
    if (config.DATABASE_READ_URL !== undefined)
      throw new ConfigError('DATABASE_READ_URL is set without DATABASE_URL: a standby needs its primary')
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

/**
 * Opens the PostgreSQL store, migrating the database first unless DATABASE_MIGRATE says not to.
 * @throws DatabaseError when the database cannot be reached or migrated
 */
export async function openDatabaseStore(config: Config, options: PostgresStoreOptions, logger: Logger): Promise<PostgresStore> {
  try {
    // Loaded here rather than with this module, so that a start with the file store never loads the
    // PostgreSQL client and the migration tool.
    const [{ migrateDatabase }, { PostgresStore }] = await Promise.all([
      import('./catalogue/postgres/migrate.js'),
      import('./catalogue/postgres/postgres-store.js'),
    ])
    if (config.DATABASE_MIGRATE === 'start') {
      const applied = await migrateDatabase(options.url)
      logger.info({ applied }, applied.length === 0 ? 'database schema up to date' : 'database schema migrated')
    }
    const store = await PostgresStore.open(options)
    logger.info({ database: describeDatabase(options.url), works: (await store.state()).works }, 'catalogue database opened')
    return store
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new DatabaseError(`DATABASE_URL (${describeDatabase(options.url)}): ${reason}`)
  }
}
