import { findClashes } from './clashes.js'
import { contentVersion } from './file-work.js'
import type { RecordProblem } from './record-problem.js'
import type { CslItem } from './schema.js'
import type { Snapshot } from './snapshot.js'
import {
  InvalidRecordsError,
  PreconditionFailedError,
  RecordConflictError,
  WorkNotFoundError,
  type ChangeOutcome,
  type WorkChange,
} from './store.js'
import { recordProblems } from './validate-record.js'

/** What a write does to the records: all of them afterwards, in catalogue order, and each change's outcome. */
export interface WritePlan {
  readonly items: readonly CslItem[]
  /** Whether any record is added, changed or removed. */
  readonly changes: boolean
  readonly outcomes: readonly { readonly id: string; readonly outcome: ChangeOutcome['outcome'] }[]
}

export const idOf = (change: WorkChange) => (change.kind === 'put' ? String(change.item.id) : change.id)

/** Every record of the write that is no valid CSL-JSON item, and every work it changes twice. */
export function problemsOf(changes: readonly WorkChange[]): RecordProblem[] {
  const seen = new Set<string>()
  return changes.flatMap((change, index) => {
    const problems = change.kind === 'put' ? recordProblems(index, change.item) : []
    const id = idOf(change)
    if (seen.has(id)) problems.push({ index, id, field: 'id', message: 'names a work an earlier change of this write changes' })
    seen.add(id)
    return problems
  })
}

/** The outcome of one change to the work that has its id now (if any), or the precondition that does not hold. */
export function outcomeOf(change: WorkChange, existing: { readonly version: string } | undefined): ChangeOutcome['outcome'] {
  const id = idOf(change)
  if (change.ifVersion !== undefined && existing?.version !== change.ifVersion) throw new PreconditionFailedError(id)
  if (change.kind === 'delete') {
    if (existing === undefined) throw new WorkNotFoundError(id)
    return 'deleted'
  }
  if (change.ifAbsent === true && existing !== undefined) throw new PreconditionFailedError(id)
  if (existing === undefined) return 'created'
  return existing.version === contentVersion(change.item) ? 'unchanged' : 'replaced'
}

/**
 * The records after `changes`, checked as the data file is and against each other: new works come
 * after the others, replaced ones keep their place, and unchanged ones stay the same objects.
 * @throws InvalidRecordsError, PreconditionFailedError, WorkNotFoundError, RecordConflictError
 */
export function planWrite(snapshot: Snapshot, changes: readonly WorkChange[]): WritePlan {
  const problems = problemsOf(changes)
  if (problems.length > 0) throw new InvalidRecordsError(problems)
  const replacements = new Map<string, CslItem | undefined>()
  const added: CslItem[] = []
  const outcomes = changes.map((change) => {
    const id = idOf(change)
    const existing = snapshot.withId(id)
    const outcome = outcomeOf(change, existing)
    if (outcome === 'deleted') replacements.set(id, undefined)
    else if (outcome === 'created') added.push((change as { item: CslItem }).item)
    else if (outcome === 'replaced') replacements.set(id, (change as { item: CslItem }).item)
    return { id, outcome }
  })
  const items = snapshot.works.flatMap((work) => {
    if (!replacements.has(work.id)) return [work.item]
    const replacement = replacements.get(work.id)
    return replacement === undefined ? [] : [replacement]
  })
  items.push(...added)
  const [clash] = findClashes(items)
  if (clash !== undefined) {
    const [changed, other] = [items[clash.index] as CslItem, items[clash.earlier] as CslItem]
    // The clash involves a changed record, as the records before the write clashed with none.
    const changedFirst = !(replacements.has(String(changed.id)) || added.includes(changed))
    const [mine, theirs] = changedFirst ? [other, changed] : [changed, other]
    throw new RecordConflictError(String(mine.id), clash.field, String(theirs.id))
  }
  return { items, changes: replacements.size > 0 || added.length > 0, outcomes }
}
