import pg from 'pg'
import type { CslItem } from '../schema.js'
import { CachingTokenizer } from '../search-index.js'
import { DERIVATION, QUERY_COLUMNS, queryColumnValues } from './query-columns.js'

/** Rows derived again in one transaction: short enough not to hold up writes for long. */
const BATCH = 2000
/** The advisory lock that lets one process backfill while the others wait for it. */
const LOCK = 'citeserve-backfill'

/**
 * Derives the query columns of every row whose derivation is older than this code's, with the code
 * that derives them for writes and the loader (rows written before a migration added columns, or by an
 * older release during a rolling update). Idempotent; concurrent callers wait for the first.
 * @returns how many rows it derived
 */
export async function backfillQueryColumns(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'citeserve-backfill' })
  await client.connect()
  const tokenizer = new CachingTokenizer()
  let derived = 0
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK])
    let after = 0
    for (;;) {
      await client.query('BEGIN')
      const { rows } = await client.query<{ seq: string; item: CslItem }>(
        // The derivation is written out, not a parameter, so that the planner can use works_underived.
        `SELECT seq, item FROM works WHERE seq > $1 AND derived < ${DERIVATION} ORDER BY seq LIMIT $2 FOR UPDATE`,
        [after, BATCH],
      )
      if (rows.length > 0) {
        const values = rows.map((row) => queryColumnValues(row.item, tokenizer))
        const columns = QUERY_COLUMNS.map((column, index) => `${column} = given.c${index}::${columnType(column)}`).join(', ')
        await client.query(
          `UPDATE works SET ${columns}
             FROM unnest($1::bigint[], ${QUERY_COLUMNS.map((_, index) => `$${index + 2}::text[]`).join(', ')})
               AS given(seq, ${QUERY_COLUMNS.map((_, index) => `c${index}`).join(', ')})
            WHERE works.seq = given.seq`,
          [rows.map((row) => row.seq), ...QUERY_COLUMNS.map((_, index) => values.map((value) => value[index] ?? null))],
        )
      }
      await client.query('COMMIT')
      derived += rows.length
      if (rows.length < BATCH) return derived
      after = Number(rows.at(-1)?.seq)
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    await client.end()
  }
}

function columnType(column: (typeof QUERY_COLUMNS)[number]): string {
  switch (column) {
    case 'derived':
      return 'smallint'
    case 'fields':
      return 'tsvector'
    case 'published':
      return 'integer'
    case 'issns':
    case 'isbns':
      return 'text[]'
    case 'has_abstract':
      return 'boolean'
    default:
      return 'text'
  }
}
