import type pg from 'pg'
import { baseKey } from '../keys.js'
import { idOf, problemsOf } from '../plan-write.js'
import {
  InvalidRecordsError,
  PreconditionFailedError,
  RecordConflictError,
  WorkNotFoundError,
  type ChangeOutcome,
  type WorkChange,
} from '../store.js'
import { deriveRow, type DerivedRow } from './derive.js'
import { freeKeys } from './keys.js'
import { toWork, WORK_COLUMNS, type WorkRow } from './rows.js'

/** The rows the changes write, checked as the file store checks them before it writes anything. */
export function prepareWrite(changes: readonly WorkChange[]): readonly (DerivedRow | undefined)[] {
  const problems = problemsOf(changes)
  if (problems.length > 0) throw new InvalidRecordsError(problems)
  return changes.map((change) => (change.kind === 'put' ? deriveRow(change.item) : undefined))
}

type Outcome = ChangeOutcome['outcome']

/** The outcome of one change, or the precondition that does not hold. */
function outcomeOf(change: WorkChange, existing: WorkRow | undefined, row: DerivedRow | undefined): Outcome {
  const id = idOf(change)
  if (change.ifVersion !== undefined && existing?.version !== change.ifVersion) throw new PreconditionFailedError(id)
  if (change.kind === 'delete') {
    if (existing === undefined) throw new WorkNotFoundError(id)
    return 'deleted'
  }
  if (change.ifAbsent === true && existing !== undefined) throw new PreconditionFailedError(id)
  if (existing === undefined) return 'created'
  return existing.version === row?.version ? 'unchanged' : 'replaced'
}

/** A DOI or asked-for key that another work has once the write is applied. */
async function findConflict(client: pg.PoolClient, row: DerivedRow): Promise<RecordConflictError | undefined> {
  for (const [column, value, field] of [
    ['doi', row.doi, 'DOI'],
    ['asked_key', row.askedKey, 'citation-key'],
  ] as const) {
    if (value === null) continue
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM works WHERE ${column} = $1 AND id <> $2 LIMIT 1`, [value, row.id])
    if (rows[0] !== undefined) return new RecordConflictError(row.id, field, rows[0].id)
  }
  return undefined
}

const placeOf = (row: WorkRow | undefined) => (row === undefined ? Infinity : Number(row.seq))

const INSERT = `INSERT INTO works (id, doi, asked_key, key, type, item, search, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  RETURNING ${WORK_COLUMNS}`
const UPDATE = `UPDATE works SET doi = $2, asked_key = $3, key = $4, type = $5, item = $6, search = $7, version = $8,
  modified = date_trunc('milliseconds', now()) WHERE id = $1 RETURNING ${WORK_COLUMNS}`

/**
 * Applies the changes in the open transaction of `client`, as the file store applies a write: every
 * precondition first, then the changes, with citation keys given as the file store gives them, then
 * the DOIs and asked-for keys checked against the catalogue as it is afterwards.
 * @throws PreconditionFailedError, WorkNotFoundError, RecordConflictError
 */
export async function applyChanges(
  client: pg.PoolClient,
  changes: readonly WorkChange[],
  derived: readonly (DerivedRow | undefined)[],
): Promise<ChangeOutcome[]> {
  const ids = changes.map(idOf)
  const { rows: locked } = await client.query<WorkRow>(`SELECT ${WORK_COLUMNS} FROM works WHERE id = ANY($1) FOR UPDATE`, [ids])
  const existing = new Map(locked.map((row) => [row.id, row]))
  const outcomes = changes.map((change, index) => outcomeOf(change, existing.get(ids[index] as string), derived[index]))

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
    const values = [row.id, row.doi, row.askedKey, key, row.type, row.json, row.search, row.version]
    const { rows } = await client.query<WorkRow>(outcomes[index] === 'created' ? INSERT : UPDATE, values)
    works.set(index, rows[0] as WorkRow)
  }
  for (const { row } of written) {
    const conflict = await findConflict(client, row)
    if (conflict !== undefined) throw conflict
  }
  return changes.map((_, index) => {
    const id = ids[index] as string
    const outcome = outcomes[index] as Outcome
    if (outcome === 'deleted') return { id, outcome }
    return { id, outcome, work: toWork(works.get(index) ?? (existing.get(id) as WorkRow)) }
  })
}
