/** How a PostgresStore connects and what it keeps in memory. */
export interface PostgresStoreOptions {
  /** The primary: writes, notifications, and reads without a standby. */
  readonly url: string
  /** A streaming standby that takes the reads. */
  readonly readUrl?: string | undefined
  /** Connections per pool (one pool for the primary, one for the standby). */
  readonly poolSize: number
  /** The longest a statement may run, on the server and as seen by the client. */
  readonly statementTimeoutMs: number
  /** The longest to wait for a connection, new or from the pool. */
  readonly connectTimeoutMs: number
  /** Works kept in memory for repeated lookups. */
  readonly cacheEntries: number
  readonly log?: StoreLog | undefined
}

/** Where the store reports its connections' troubles (a pino logger will do). */
interface StoreLog {
  info(details: object, message: string): void
  warn(details: object, message: string): void
}
