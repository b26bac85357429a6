import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { RecordProblem } from '../record-problem.js'
import type { CslItem } from '../schema.js'
import { CachingTokenizer } from '../search-index.js'
import { InvalidRecordsError, RecordConflictError } from '../store.js'
import { recordProblems } from '../validate-record.js'
import { uniqueKey } from '../keys.js'
import { deriveRow, ROW_COLUMNS, rowValues, type DerivedRow } from './derive.js'
import type { PostgresStore } from './postgres-store.js'
import { applyChanges, prepareWrite } from './write.js'

/** Rows copied in one statement: enough that round trips cost little. */
const BATCH = 10_000
/** How many invalid records one refusal lists. */
const MAX_PROBLEMS = 100

export interface LoadResult {
  /** Works added. */
  readonly works: number
}

/** What the load has given out so far, to refuse a record that repeats an earlier one's id, DOI or asked-for key. */
class Seen {
  readonly ids = new Set<string>()
  readonly dois = new Map<string, string>()
  readonly askedKeys = new Map<string, string>()
  readonly keys: Set<string>

  constructor(existingKeys: readonly string[]) {
    this.keys = new Set(existingKeys)
  }

  /** The clash of `row` with an earlier record of the load, if any; else remembers it. */
  admit(row: DerivedRow): RecordConflictError | undefined {
    if (this.ids.has(row.id)) return new RecordConflictError(row.id, 'id', row.id)
    const sameDoi = row.doi === null ? undefined : this.dois.get(row.doi)
    if (sameDoi !== undefined) return new RecordConflictError(row.id, 'DOI', sameDoi)
    const sameKey = row.askedKey === null ? undefined : this.askedKeys.get(row.askedKey)
    if (sameKey !== undefined) return new RecordConflictError(row.id, 'citation-key', sameKey)
    this.ids.add(row.id)
    if (row.doi !== null) this.dois.set(row.doi, row.id)
    if (row.askedKey !== null) this.askedKeys.set(row.askedKey, row.id)
    return undefined
  }
}

/** The first work already in the catalogue that has the id, DOI or asked-for key of a row of the batch. */
async function conflictWithCatalogue(client: pg.ClientBase, rows: readonly DerivedRow[]): Promise<RecordConflictError | undefined> {
  const { rows: found } = await client.query<{ id: string; doi: string | null; asked_key: string | null }>(
    'SELECT id, doi, asked_key FROM works WHERE id = ANY($1) OR doi = ANY($2) OR asked_key = ANY($3) LIMIT 1',
    [rows.map((row) => row.id), rows.flatMap((row) => row.doi ?? []), rows.flatMap((row) => row.askedKey ?? [])],
  )
  const other = found[0]
  if (other === undefined) return undefined
  for (const row of rows) {
    if (row.id === other.id) return new RecordConflictError(row.id, 'id', other.id)
    if (row.doi !== null && row.doi === other.doi) return new RecordConflictError(row.id, 'DOI', other.id)
    if (row.askedKey !== null && row.askedKey === other.asked_key) return new RecordConflictError(row.id, 'citation-key', other.id)
  }
  return undefined
}

// COPY's text format: fields between tabs, a row to a line, \N for null, and these characters escaped.
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }
const field = (value: string | null) => (value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (character) => ESCAPES[character] as string))

const COPY = `COPY works (${ROW_COLUMNS.join(', ')}) FROM STDIN`

async function insert(client: pg.ClientBase, rows: readonly DerivedRow[], seen: Seen): Promise<void> {
  const lines = rows.map((row) => `${rowValues(row, uniqueKey(row.baseKey, seen.keys)).map(field).join('\t')}\n`)
  await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(COPY)))
}

/**
 * Adds the records to the catalogue after its works, in order, in one transaction: all of them or, when
 * one is invalid or repeats the id, DOI or asked-for citation key of a work or of an earlier record, none.
 * Rows are derived as `write` derives them (keys, DOIs, versions, search tokens); the works table is
 * locked against other writes meanwhile, and reads go on. In the same transaction, the works with the
 * ids of `replacing` are then replaced as `write` replaces them (an import's updates). For imports and
 * benchmarks.
 * @throws InvalidRecordsError, RecordConflictError, StoreUnavailableError
 */
export async function loadWorks(
  store: PostgresStore,
  records: AsyncIterable<unknown> | Iterable<unknown>,
  replacing: readonly CslItem[] = [],
): Promise<LoadResult> {
  const replacements = replacing.map((item) => ({ kind: 'put' as const, item }))
  const replacementRows = prepareWrite(replacements)
  return store.transaction(
    async (client) => {
      await client.query('LOCK TABLE works IN SHARE ROW EXCLUSIVE MODE')
      const { rows: existing } = await client.query<{ key: string }>('SELECT key FROM works')
      const seen = new Seen(existing.map((row) => row.key))
      const checkCatalogue = existing.length > 0
      const tokenizer = new CachingTokenizer()
      const problems: RecordProblem[] = []
      let batch: DerivedRow[] = []
      let index = 0
      const flush = async () => {
        if (problems.length > 0) throw new InvalidRecordsError(problems)
        const conflict = checkCatalogue ? await conflictWithCatalogue(client, batch) : undefined
        if (conflict !== undefined) throw conflict
        if (batch.length > 0) await insert(client, batch, seen)
        batch = []
      }
      for await (const record of records) {
        const found = recordProblems(index++, record)
        if (found.length > 0) {
          problems.push(...found)
          if (problems.length >= MAX_PROBLEMS) break
          continue
        }
        const row = deriveRow(record as CslItem, tokenizer)
        const clash = seen.admit(row)
        if (clash !== undefined) throw clash
        batch.push(row)
        if (batch.length >= BATCH) await flush()
      }
      await flush()
      if (replacements.length > 0) await applyChanges(client, replacements, replacementRows)
      return { works: seen.ids.size }
    },
    { long: true },
  )
}
