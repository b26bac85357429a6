import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { RecordProblem } from '../record-problem.js'
import type { CslItem } from '../schema.js'
import { CachingTokenizer, ownToken } from '../search-index.js'
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
/** Distinct words whose counts a load holds before adding them to word_counts: a bound on its memory. */
const WORDS_HELD = 1_000_000

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

/** The row as a line of COPY's text format, with a citation key no work of the load has yet. */
const copyLine = (row: DerivedRow, seen: Seen) => `${rowValues(row, uniqueKey(row.baseKey, seen.keys)).map(field).join('\t')}\n`

const insert = (client: pg.ClientBase, lines: readonly string[]) => pipeline(Readable.from([lines.join('')]), client.query(copyFrom(COPY)))

/** Memory for building each index after a load into an empty catalogue: a sort held in memory is quicker. */
const INDEX_BUILD_MEMORY = '256MB'

/**
 * Drops the indexes and unique constraints of `works` and returns the statements that make them again:
 * filling an empty table and building each index once is far quicker than growing every index row by
 * row, and meanwhile the load itself refuses a repeated id, DOI or asked-for key and makes keys unique.
 */
async function dropIndexes(client: pg.ClientBase): Promise<string[]> {
  const { rows: constraints } = await client.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = 'works'::regclass AND contype IN ('p', 'u')`,
  )
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'works'
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'works'::regclass)`,
  )
  for (const { name } of constraints) await client.query(`ALTER TABLE works DROP CONSTRAINT ${client.escapeIdentifier(name)}`)
  for (const { name } of indexes) await client.query(`DROP INDEX ${client.escapeIdentifier(name)}`)
  return [
    ...constraints.map(({ name, definition }) => `ALTER TABLE works ADD CONSTRAINT ${client.escapeIdentifier(name)} ${definition}`),
    ...indexes.map((index) => index.definition),
  ]
}

/**
 * Adds the works counted under each word to word_counts in one statement, instead of one trigger call
 * per batch (see migrations/1700000000002_word-counts.sql). The loader counts them as it derives the
 * rows, while the database copies the batch before; a count in the database would come after the copy.
 */
async function addWordCounts(client: pg.ClientBase, counts: ReadonlyMap<string, number>): Promise<void> {
  await client.query(
    `INSERT INTO word_counts AS counted (word, works)
     SELECT * FROM unnest($1::text[], $2::bigint[]) AS counts (word, works) ORDER BY word
     ON CONFLICT (word) DO UPDATE SET works = counted.works + excluded.works`,
    [[...counts.keys()], [...counts.values()]],
  )
}

/**
 * Adds the records to the catalogue after its works, in order, in one transaction: all of them or, when
 * one is invalid or repeats the id, DOI or asked-for citation key of a work or of an earlier record, none.
 * Rows are derived as `write` derives them (keys, DOIs, versions, search tokens); the works table is
 * locked against other writes meanwhile, and reads go on, except into an empty catalogue: then its
 * indexes and unique constraints are dropped and made again at the end, which locks reads out until
 * the load commits. A batch is derived while the one before it is copied. In the same transaction,
 * the works with the ids of `replacing` are then replaced as `write` replaces them (an import's
 * updates). For imports and benchmarks; `wordsHeld` bounds the word counts held in memory (WORDS_HELD).
 * @throws InvalidRecordsError, RecordConflictError, StoreUnavailableError
 */
export async function loadWorks(
  store: PostgresStore,
  records: AsyncIterable<unknown> | Iterable<unknown>,
  replacing: readonly CslItem[] = [],
  { wordsHeld = WORDS_HELD }: { readonly wordsHeld?: number } = {},
): Promise<LoadResult> {
  const replacements = replacing.map((item) => ({ kind: 'put' as const, item }))
  const replacementRows = prepareWrite(replacements)
  return store.transaction(
    async (client) => {
      await client.query('LOCK TABLE works IN SHARE ROW EXCLUSIVE MODE')
      const { rows: existing } = await client.query<{ key: string }>('SELECT key FROM works')
      const indexes: string[] = []
      if (existing.length === 0) {
        await client.query('LOCK TABLE works IN ACCESS EXCLUSIVE MODE')
        indexes.push(...(await dropIndexes(client)))
      }
      await client.query("SET LOCAL citeserve.words_counted_by_loader = 'on'")
      const seen = new Seen(existing.map((row) => row.key))
      const checkCatalogue = existing.length > 0
      const tokenizer = new CachingTokenizer()
      const wordCounts = new Map<string, number>()
      const problems: RecordProblem[] = []
      // The batch's rows, kept to be checked against the catalogue when it has works.
      let batch: DerivedRow[] = []
      // Each row's line is made as it is derived, while the batch before it is being copied.
      let lines: string[] = []
      let copying: Promise<void> = Promise.resolve()
      let index = 0
      const flush = async () => {
        if (problems.length > 0) throw new InvalidRecordsError(problems)
        const conflict = checkCatalogue ? await conflictWithCatalogue(client, batch) : undefined
        if (conflict !== undefined) throw conflict
        const copied = lines
        batch = []
        lines = []
        await copying
        if (wordCounts.size >= wordsHeld) {
          await addWordCounts(client, wordCounts)
          wordCounts.clear()
        }
        if (copied.length === 0) return
        copying = insert(client, copied)
        // Awaited before the next batch is copied or the load ends; until then a failure is held, not unhandled.
        copying.catch(() => undefined)
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
        if (checkCatalogue) batch.push(row)
        lines.push(copyLine(row, seen))
        for (const word of row.words) {
          const count = wordCounts.get(word)
          wordCounts.set(count === undefined ? ownToken(word) : word, (count ?? 0) + 1)
        }
        if (lines.length >= BATCH) await flush()
      }
      await flush()
      await copying
      if (indexes.length > 0) {
        await client.query(`SET LOCAL maintenance_work_mem = '${INDEX_BUILD_MEMORY}'`)
        for (const definition of indexes) await client.query(definition)
      }
      await addWordCounts(client, wordCounts)
      await client.query("SET LOCAL citeserve.words_counted_by_loader = 'off'")
      if (replacements.length > 0) await applyChanges(client, replacements, replacementRows)
      return { works: seen.ids.size }
    },
    { long: true },
  )
}
