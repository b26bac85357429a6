import type pg from 'pg'
import { baseKey } from '../keys.js'
import { idOf, outcomeOf, problemsOf } from '../plan-write.js'
import { InvalidRecordsError, RecordConflictError, type ChangeOutcome, type WorkChange } from '../store.js'
import { deriveRow, ROW_COLUMNS, rowValues, type DerivedRow } from './derive.js'
import { freeKeys } from './keys.js'
import { toWork, WORK_COLUMNS, type WorkRow } from './rows.js'

/** The rows the changes write, checked as the file store checks them before it writes anything. */
export function prepareWrite(changes: readonly WorkChange[]): readonly (DerivedRow | undefined)[] {
  const problems = problemsOf(changes)
  if (problems.length > 0) throw new InvalidRecordsError(problems)
  return changes.map((change) => (change.kind === 'put' ? deriveRow(change.item) : undefined))
}

type Outcome = ChangeOutcome['outcome']

/** The first DOI or asked-for key of the rows that another work has once the write is applied. */
async function findConflict(client: pg.ClientBase, rows: readonly DerivedRow[]): Promise<RecordConflictError | undefined> {
  const { rows: holders } = await client.query<{ id: string; doi: string | null; asked_key: string | null }>(
    'SELECT id, doi, asked_key FROM works WHERE doi = ANY($1) OR asked_key = ANY($2)',
    [rows.flatMap((row) => row.doi ?? []), rows.flatMap((row) => row.askedKey ?? [])],
  )
  for (const row of rows) {
    const other = (match: (holder: (typeof holders)[number]) => boolean) => holders.find((holder) => holder.id !== row.id && match(holder))
    const sameDoi = row.doi === null ? undefined : other((holder) => holder.doi === row.doi)
    if (sameDoi !== undefined) return new RecordConflictError(row.id, 'DOI', sameDoi.id)
    const sameKey = row.askedKey === null ? undefined : other((holder) => holder.asked_key === row.askedKey)
    if (sameKey !== undefined) return new RecordConflictError(row.id, 'citation-key', sameKey.id)
  }
  return undefined
}

const placeOf = (row: WorkRow | undefined) => (row === undefined ? Infinity : Number(row.seq))

const INSERT = `INSERT INTO works (${ROW_COLUMNS.join(', ')}) VALUES (${ROW_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
  RETURNING ${WORK_COLUMNS}`
const UPDATE = `UPDATE works SET ${ROW_COLUMNS.slice(1)
  .map((column, index) => `${column} = $${index + 2}`)
  .join(', ')}, modified = date_trunc('milliseconds', now()) WHERE id = $1 RETURNING ${WORK_COLUMNS}`

/**
 * Applies the changes in the open transaction of `client`, as the file store applies a write: every
 * precondition first, then the changes, with citation keys given as the file store gives them, then
 * the DOIs and asked-for keys checked against the catalogue as it is afterwards.
 * @throws PreconditionFailedError, WorkNotFoundError, RecordConflictError
 */
export async function applyChanges(
  client: pg.ClientBase,
  changes: readonly WorkChange[],
  derived: readonly (DerivedRow | undefined)[],
): Promise<ChangeOutcome[]> {
  const ids = changes.map(idOf)
  const { rows: locked } = await client.query<WorkRow>(`SELECT ${WORK_COLUMNS} FROM works WHERE id = ANY($1) FOR UPDATE`, [ids])
  const existing = new Map(locked.map((row) => [row.id, row]))
  const outcomes = changes.map((change, index) => outcomeOf(change, existing.get(ids[index] as string)))

  const deleted = ids.filter((_, index) => outcomes[index] === 'deleted')
  if (deleted.length > 0) await client.query('DELETE FROM works WHERE id = ANY($1)', [deleted])
  // Works whose record asks for the key it asked for before keep their key; the others get a free one.
  const written = changes.flatMap((_, index) => {
    const outcome = outcomes[index] as Outcome
    const row = derived[index]
    if (row === undefined || (outcome !== 'created' && outcome !== 'replaced')) return []
    const before = existing.get(row.id)
    return [{ index, row, kept: before !== undefined && baseKey(before.item) === row.baseKey ? before.key : undefined }]
  })
  // New keys go out in catalogue order: replaced works by their place, then new ones in the write's order.
  const rekeyed = written
    .filter((entry) => entry.kept === undefined)
    .sort((a, b) => placeOf(existing.get(a.row.id)) - placeOf(existing.get(b.row.id)) || a.index - b.index)
  const newKeys = await freeKeys(
    client,
    rekeyed.map((entry) => entry.row.baseKey),
    new Set([...deleted, ...rekeyed.map((entry) => entry.row.id)]),
  )
  const keys = new Map(rekeyed.map((entry, order) => [entry.index, newKeys[order] as string]))
  const works = new Map<number, WorkRow>()
  for (const { index, row, kept } of written) {
    const key = kept ?? keys.get(index)
    const { rows } = await client.query<WorkRow>(outcomes[index] === 'created' ? INSERT : UPDATE, rowValues(row, key))
    works.set(index, rows[0] as WorkRow)
  }
  const conflict = await findConflict(
    client,
    written.map((entry) => entry.row),
  )
  if (conflict !== undefined) throw conflict
  return changes.map((_, index) => {
    const id = ids[index] as string
    const outcome = outcomes[index] as Outcome
    if (outcome === 'deleted') return { id, outcome }
    return { id, outcome, work: toWork(works.get(index) ?? (existing.get(id) as WorkRow)) }
  })
}
