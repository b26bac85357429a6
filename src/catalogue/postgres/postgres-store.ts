import { LRUCache } from 'lru-cache'
import pg from 'pg'
import { normalizeDoi } from '../doi.js'
import {
  StoreUnavailableError,
  type CatalogueState,
  type CatalogueStore,
  type ChangeOutcome,
  type ListRequest,
  type StoredWork,
  type StoreHealth,
  type WorkChange,
  type WorkPage,
  type WorkQuery,
} from '../store.js'
import { available, isUniqueViolation, unavailableReason } from './errors.js'
import { ChangeListener, type CatalogueChange } from './listener.js'
import type { PostgresStoreOptions } from './options.js'
import { ReadRouting } from './read-routing.js'
import { toWork, WORK_COLUMNS, type WorkRow } from './rows.js'
import type { SortKey } from '../query/types.js'
import { effectiveSort } from '../query/types.js'
import { countedFromSummary } from './facet-counts.js'
import {
  containerNamesStatement,
  countedWorks,
  countStatement,
  facetsOf,
  facetStatement,
  totalOf,
  type Counted,
  type FacetRow,
} from './facets.js'
import { pageStatement, type Statement } from './list-sql.js'
import { rankedWords, type WordCounts } from './score.js'
import { Parameters, queriesOf, whereClause, whereCondition } from './where.js'
import { tieredPage } from './tiered-page.js'
import { tiersOf } from './tiers.js'
import { WorkCache } from './work-cache.js'
import { applyChanges, prepareWrite } from './write.js'

/** How often a write that lost a race for a DOI or key to a concurrent one is tried again, seeing it. */
const WRITE_ATTEMPTS = 3
/** Counting statements whose results the store keeps for the catalogue's current state (see counted). */
const COUNTS_KEPT = 1000
const DEFAULT_BATCH = 1000

function poolConfig(url: string, options: PostgresStoreOptions, role: string): pg.PoolConfig {
  return {
    connectionString: url,
    application_name: `citeserve-${role}`,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    // The server's statement_timeout does not help when the server cannot be reached mid-query.
    query_timeout: options.statementTimeoutMs,
    keepAlive: true,
    // Compiling a statement's expressions to machine code takes tens of milliseconds, more than any
    // statement of the store runs; PostgreSQL decides on it by estimated cost, far off for text queries.
    options: '-c jit=off',
  }
}

/** The pool of one server, whose idle connections' errors (a restart, say) are expected, not fatal. */
function openPool(url: string, options: PostgresStoreOptions, role: string): pg.Pool {
  const pool = new pg.Pool(poolConfig(url, options, role))
  pool.on('error', (error) => options.log?.warn({ role, reason: error.message }, 'an idle database connection failed'))
  return pool
}

const currentLsn = async (queryable: pg.Pool | pg.ClientBase) =>
  (await queryable.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn ?? '0/0'

/** A value computed once per state of the catalogue: any invalidation of the cache makes it stale. */
interface Memo<T> {
  readonly epoch: number
  readonly value: Promise<T>
}

/**
 * The catalogue in PostgreSQL (migrations/), shared by every replica of the service. Lookups are
 * cached in the process and invalidated by the database's change notifications; reads go to a
 * standby when there is one and it has replayed what this process must see. A database that cannot
 * be reached makes every call fail at once with StoreUnavailableError, and the store recovers by
 * itself when it is back.
 */
export class PostgresStore implements CatalogueStore {
  private readonly cache: WorkCache
  private stateMemo: Memo<CatalogueState> | undefined
  private typesMemo: Memo<readonly string[]> | undefined
  /** What counting statements gave, by statement, each for the catalogue's state it was counted in. */
  private readonly countMemos = new LRUCache<string, Memo<readonly pg.QueryResultRow[]>>({ max: COUNTS_KEPT })
  private latestModified = new Date(0)
  private listenedBefore = false

  private readonly primary: pg.Pool
  private readonly standby: pg.Pool | undefined
  private readonly routing: ReadRouting
  private readonly listener: ChangeListener

  private constructor(private readonly options: PostgresStoreOptions) {
    this.primary = openPool(options.url, options, 'primary')
    this.standby = options.readUrl === undefined ? undefined : openPool(options.readUrl, options, 'standby')
    this.cache = new WorkCache(options.cacheEntries)
    this.routing = new ReadRouting(this.primary, this.standby)
    this.listener = new ChangeListener(
      {
        connectionString: options.url,
        application_name: 'citeserve-listener',
        connectionTimeoutMillis: options.connectTimeoutMs,
        // A heartbeat that gets no answer in time means a dead connection, to replace.
        query_timeout: options.statementTimeoutMs,
        keepAlive: true,
      },
      {
        connected: () => this.listening(),
        disconnected: (reason) => this.deaf(reason),
        changed: (change) => this.changed(change),
      },
    )
  }

  /** Connects to the database, whose schema must be migrated (migrateDatabase), and listens for changes. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options)
    try {
      await store.listener.start()
    } catch (error) {
      await store.close()
      throw new StoreUnavailableError(unavailableReason(error) ?? (error instanceof Error ? error.message : String(error)))
    }
    return store
  }

  private listening(): void {
    if (this.listenedBefore) this.options.log?.info({}, 'listening for catalogue changes again')
    this.listenedBefore = true
    this.cache.invalidateAll()
    this.cache.trusted = true
    // Changes made while not listening may not be on the standby yet either.
    void this.routing.mustSee(() => currentLsn(this.primary))
  }

  private deaf(reason: string): void {
    // Said once when the connection drops, not again for each attempt to reconnect that fails.
    if (!this.cache.trusted) return
    this.cache.trusted = false
    this.options.log?.warn({ reason }, 'not listening for catalogue changes; reconnecting, and reading past the cache meanwhile')
  }

  private changed({ ids }: CatalogueChange): void {
    if (ids === null) this.cache.invalidateAll()
    else this.cache.invalidate(ids)
    void this.routing.mustSee(() => currentLsn(this.primary))
  }

  /** Runs a read on the standby or the primary, as routing says; a standby that cannot answer is passed over. */
  private async read<T>(query: (pool: pg.Pool) => Promise<T>): Promise<T> {
    const pool = this.routing.reads
    try {
      return await available(() => query(pool))
    } catch (error) {
      if (pool !== this.primary && this.routing.standbyFailed(error)) return available(() => query(this.primary))
      throw error
    }
  }

  /**
   * The works a query reads. Given a name, the statement is prepared once per connection and its plan
   * kept: lookups run far more often than anything else, and parsing and planning them again each
   * time cost the database more than running them.
   */
  private async rows(sql: string, values: unknown[], name?: string): Promise<StoredWork[]> {
    const { rows } = await this.read((pool) => pool.query<WorkRow>({ text: sql, values, ...(name === undefined ? {} : { name }) }))
    return rows.map(toWork)
  }

  async find(idOrDoi: string): Promise<StoredWork | undefined> {
    const cached = this.cache.get(idOrDoi)
    if (cached !== undefined) return cached
    const epoch = this.cache.epoch
    try {
      const [work] = await this.rows(
        `SELECT ${WORK_COLUMNS} FROM (SELECT 0 AS rank, ${WORK_COLUMNS} FROM works WHERE id = $1
           UNION ALL SELECT 1, ${WORK_COLUMNS} FROM works WHERE doi = $2) AS found ORDER BY rank LIMIT 1`,
        [idOrDoi, normalizeDoi(idOrDoi)],
        'citeserve-find',
      )
      if (work !== undefined) this.cache.remember(idOrDoi, work, epoch)
      return work
    } catch (error) {
      // A cached answer, even one that may be stale, is better than none while the database is away.
      const stale = error instanceof StoreUnavailableError ? this.cache.get(idOrDoi, true) : undefined
      if (stale === undefined) throw error
      return stale
    }
  }

  async findMany(idsOrDois: readonly string[]): Promise<readonly (StoredWork | undefined)[]> {
    const found = new Map<string, StoredWork>()
    for (const idOrDoi of idsOrDois) {
      const cached = this.cache.get(idOrDoi)
      if (cached !== undefined) found.set(idOrDoi, cached)
    }
    const missing = [...new Set(idsOrDois.filter((idOrDoi) => !found.has(idOrDoi)))]
    if (missing.length > 0) {
      const epoch = this.cache.epoch
      const byId = await this.rows(`SELECT ${WORK_COLUMNS} FROM works WHERE id = ANY($1)`, [missing], 'citeserve-find-ids')
      const ids = new Map(byId.map((work) => [work.id, work]))
      const rest = missing.filter((idOrDoi) => !ids.has(idOrDoi))
      const byDoi =
        rest.length === 0
          ? []
          : await this.rows(`SELECT ${WORK_COLUMNS} FROM works WHERE doi = ANY($1)`, [rest.map(normalizeDoi)], 'citeserve-find-dois')
      const dois = new Map(byDoi.map((work) => [normalizeDoi(work.item.DOI ?? ''), work]))
      for (const idOrDoi of missing) {
        const work = ids.get(idOrDoi) ?? dois.get(normalizeDoi(idOrDoi))
        if (work === undefined) continue
        found.set(idOrDoi, work)
        this.cache.remember(idOrDoi, work, epoch)
      }
    }
    return idsOrDois.map((idOrDoi) => found.get(idOrDoi))
  }

  async list(request: ListRequest): Promise<WorkPage> {
    const { query } = request
    const { ranked, empty } = queriesOf(query)
    const clause = whereClause(query)
    if (empty || clause === null) {
      return { total: 0, works: [], ...(request.facets === undefined ? {} : { facets: facetsOf(request.facets, [], new Map()) }) }
    }
    const where = (parameters: Parameters) => whereCondition(query, parameters) ?? 'false'
    const counting = countedFromSummary(query) ?? countedWorks(where)
    const sort = effectiveSort(request.sort, ranked.length > 0)
    const words = ranked.length === 0 ? { works: 0, counts: new Map<string, number>() } : await this.countWords(rankedWords(ranked))
    const tiers =
      sort?.by === 'relevance' && !(request.after !== undefined && (request.offset ?? 0) > 0) ? tiersOf(ranked, words) : undefined
    if (tiers !== undefined) {
      const [tiered, faceted] = await Promise.all([
        tieredPage(request, tiers, where, words.works, {
          select: (statement) => this.select(statement),
          count: (statement) => this.counted(statement),
        }),
        request.facets === undefined ? undefined : this.facets(request.facets, counting),
      ])
      return {
        total: tiered.total,
        works: tiered.rows.map(toWork),
        keys: tiered.rows.map((row) => row.score),
        scores: tiered.rows.map((row) => row.score),
        ...(faceted === undefined ? {} : { facets: faceted.facets }),
      }
    }
    // With facets, the pass that counts their values counts the result too.
    const [counted, page] = await Promise.all([
      request.facets === undefined
        ? clause.sql === 'true'
          ? this.state().then((state) => ({ total: state.works, facets: undefined }))
          : this.counted<{ count: string }>(countStatement(counting)).then(([row]) => ({
              total: Number(row?.count ?? 0),
              facets: undefined,
            }))
        : this.facets(request.facets, counting),
      this.select<WorkRow & { score: number | null; sort_key: SortKey }>(pageStatement(request, where, ranked, words, sort)),
    ])
    const { total, facets } = counted
    return {
      total,
      works: page.map(toWork),
      ...(sort === null ? {} : { keys: page.map((row) => row.sort_key) }),
      ...(ranked.length === 0 ? {} : { scores: page.map((row) => row.score ?? 0) }),
      ...(facets === undefined ? {} : { facets }),
    }
  }

  private async select<T extends pg.QueryResultRow>({ sql, values }: Statement): Promise<T[]> {
    return (await this.read((pool) => pool.query<T>(sql, values))).rows
  }

  /**
   * The rows of a counting statement (a result's size, its tiers' or its facets'), kept until the
   * catalogue changes: a count visits every work it counts, and a list paged or asked for again would
   * count them all again. Lists asking the same at once share one count.
   */
  private counted<T extends pg.QueryResultRow>(statement: Statement): Promise<T[]> {
    if (!this.cache.trusted) return this.select<T>(statement)
    const key = `${statement.sql}\u0000${JSON.stringify(statement.values)}`
    const kept = this.countMemos.get(key)
    // The key is the statement, whose rows are of the type its caller names, as pg's query<T> trusts.
    if (kept?.epoch === this.cache.epoch) return kept.value as Promise<T[]>
    const memo = { epoch: this.cache.epoch, value: this.select<T>(statement) }
    this.countMemos.set(key, memo)
    memo.value.catch(() => {
      if (this.countMemos.get(key) === memo) this.countMemos.delete(key)
    })
    return memo.value
  }

  /** The facets of the result, and its size. */
  private async facets(requests: NonNullable<ListRequest['facets']>, counted: Counted) {
    const rows = await this.counted<FacetRow>(facetStatement(requests, counted))
    const keys = rows.flatMap((row) => (row.facet === 'container-title' && row.value !== null ? [row.value] : []))
    const names = keys.length === 0 ? [] : await this.select<{ key: string; name: string }>(containerNamesStatement(keys))
    return { total: totalOf(rows), facets: facetsOf(requests, rows, new Map(names.map((row) => [row.key, row.name]))) }
  }

  /** How many works hold each word, and how many works there are: what relevance weighs words by. */
  private async countWords(words: readonly string[]): Promise<WordCounts> {
    const [state, rows] = await Promise.all([
      this.state(),
      this.select<{ word: string; works: string }>({ sql: 'SELECT word, works FROM word_counts WHERE word = ANY($1)', values: [words] }),
    ])
    return { works: state.works, counts: new Map(rows.map((row) => [row.word, Number(row.works)])) }
  }

  async *scan(
    query: WorkQuery,
    options: { readonly afterSeq?: number; readonly batchSize?: number } = {},
  ): AsyncIterable<readonly StoredWork[]> {
    const where = whereClause(query)
    if (where === null) return
    const size = options.batchSize ?? DEFAULT_BATCH
    const next = where.values.length + 1
    const sql = `SELECT ${WORK_COLUMNS} FROM works WHERE ${where.sql} AND seq > $${next} ORDER BY seq LIMIT $${next + 1}`
    let after = options.afterSeq ?? 0
    for (;;) {
      const batch = await this.rows(sql, [...where.values, after, size])
      if (batch.length > 0) yield batch
      if (batch.length < size) return
      after = (batch.at(-1) as StoredWork).seq
    }
  }

  types(): Promise<readonly string[]> {
    if (this.typesMemo?.epoch !== this.cache.epoch || !this.cache.trusted) {
      // A skip scan of the (type, seq) index: one probe per type rather than a pass over every work.
      const value = this.read((pool) =>
        pool.query<{ type: string }>(
          `WITH RECURSIVE present AS (
             SELECT min(type) AS type FROM works
             UNION ALL SELECT (SELECT min(type) FROM works WHERE type > present.type) FROM present WHERE present.type IS NOT NULL)
           SELECT type FROM present WHERE type IS NOT NULL`,
        ),
      ).then(({ rows }) => rows.map((row) => row.type).sort())
      this.typesMemo = { epoch: this.cache.epoch, value }
      value.catch(() => (this.typesMemo = undefined))
    }
    return this.typesMemo.value
  }

  state(): Promise<CatalogueState> {
    if (this.stateMemo?.epoch !== this.cache.epoch || !this.cache.trusted) {
      const value = this.read((pool) =>
        pool.query<{ works: string; version: string; modified: Date; earliest: Date | null }>(
          'SELECT works, version::text, modified, (SELECT min(modified) FROM works) AS earliest FROM catalogue_state',
        ),
      ).then(({ rows: [row] }) => {
        if (row === undefined) throw new Error('the catalogue_state table is empty: was the database migrated?')
        if (row.modified > this.latestModified) this.latestModified = row.modified
        return {
          works: Number(row.works),
          version: row.version,
          modified: this.latestModified,
          earliestModified: row.earliest ?? this.latestModified,
        }
      })
      this.stateMemo = { epoch: this.cache.epoch, value }
      value.catch(() => (this.stateMemo = undefined))
    }
    return this.stateMemo.value
  }

  async write(changes: readonly WorkChange[]): Promise<readonly ChangeOutcome[]> {
    const derived = prepareWrite(changes)
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.transaction((client) => applyChanges(client, changes, derived))
        this.cache.invalidate(outcomes.map((outcome) => outcome.id))
        return outcomes
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= WRITE_ATTEMPTS) throw error
      }
    }
  }

  /**
   * Runs `work` in a transaction on the primary, committed when it resolves and rolled back when it
   * throws; this process reads what it committed from then on. A `long` transaction (the bulk
   * loader's) has a connection of its own, without the statement timeouts.
   */
  async transaction<T>(work: (client: pg.ClientBase) => Promise<T>, { long = false } = {}): Promise<T> {
    const client = long
      ? new pg.Client({ ...poolConfig(this.options.url, this.options, 'loader'), statement_timeout: 0, query_timeout: undefined })
      : undefined
    const connection = client ?? (await available(() => this.primary.connect()))
    let broken: Error | undefined
    try {
      if (client !== undefined) await available(() => client.connect())
      await available(() => connection.query('BEGIN'))
      let result: T
      try {
        result = await work(connection)
        await available(() => connection.query('COMMIT'))
      } catch (error) {
        await connection.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError))
        const reason = unavailableReason(error)
        if (reason === undefined) throw error
        broken = error as Error
        throw new StoreUnavailableError(reason)
      }
      await this.routing.mustSee(() => currentLsn(connection))
      return result
    } finally {
      if (client !== undefined) await client.end().catch(() => undefined)
      else (connection as pg.PoolClient).release(broken)
    }
  }

  async health(): Promise<StoreHealth> {
    try {
      await available(() => this.primary.query('SELECT 1'))
      return { ok: true }
    } catch (error) {
      return { ok: false, reason: unavailableReason(error) ?? (error instanceof Error ? error.message : String(error)) }
    }
  }

  async close(): Promise<void> {
    await this.listener.close()
    this.routing.close()
    await Promise.all([this.primary.end(), this.standby?.end()])
  }
}
