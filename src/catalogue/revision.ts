import { contentVersion, FileWork } from './file-work.js'
import { baseKey, uniqueKey } from './keys.js'
import type { CslItem } from './schema.js'
import { MemoryQueryIndex } from './query/memory-index.js'
import { Snapshot } from './snapshot.js'

/** Records handled between two pauses: a few milliseconds of work. */
const SLICE = 1000

/** How one record of the new state relates to the previous state. */
interface Entry {
  readonly item: CslItem
  readonly seq: number
  /** The work with this id before, if any. */
  readonly previous: FileWork | undefined
  /** The previous work itself, when the record has not changed. */
  readonly kept: FileWork | undefined
}

/**
 * Citation keys for the entries (in seq order): a work whose record asks for the key it asked for
 * before keeps its key, so keys stay stable while the records do; the others get the first free one.
 */
function assignKeys(entries: readonly Entry[]): string[] {
  const used = new Set<string>()
  const keys: (string | undefined)[] = entries.map(({ item, previous, kept }) => {
    const stable = kept ?? (previous !== undefined && baseKey(previous.item) === baseKey(item) ? previous : undefined)
    if (stable !== undefined) used.add(stable.key)
    return stable?.key
  })
  return keys.map((key, index) => key ?? uniqueKey(baseKey((entries[index] as Entry).item), used))
}

/**
 * The snapshot that follows `previous` when the catalogue's records become `items` (which must not
 * clash): works keep their seq, and unchanged ones their version and time of change, while the
 * records they are made from stay equal; changed and new works are modified at `changed`, and new
 * ones get seqs above every earlier one. Returns `previous` itself when nothing changed.
 */
export async function revise(previous: Snapshot, items: readonly CslItem[], changed: Date, pause: () => Promise<void>): Promise<Snapshot> {
  if (previous.works.length === 0 && previous.lastSeq === 0) return first(previous, items, changed, pause)
  let nextSeq = previous.lastSeq + 1
  const entries: Entry[] = []
  let sameRecords = items.length === previous.works.length
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as CslItem
    const before = previous.withId(String(item.id))
    // The same object is the same record (a write passes the unchanged ones on); else compare digests.
    const kept = before !== undefined && (before.item === item || before.version === contentVersion(item)) ? before : undefined
    if (kept === undefined) sameRecords = false
    entries.push({ item: kept?.item ?? item, seq: before?.seq ?? nextSeq++, previous: before, kept })
    if (index % SLICE === SLICE - 1) await pause()
  }
  if (sameRecords) return previous
  // Records usually come in catalogue order already, which the sort finds in one pass.
  entries.sort((a, b) => a.seq - b.seq)
  const keys = assignKeys(entries)
  const works = entries.map(
    ({ item, seq, kept }, index) =>
      (kept?.key === keys[index] ? kept : undefined) ?? new FileWork(item, keys[index] as string, seq, changed),
  )
  const queryIndex = await MemoryQueryIndex.build(works, pause)
  return new Snapshot(works, queryIndex, previous.generation + 1, nextSeq - 1, changed, previous.epoch)
}

/** The first snapshot of a store: every work new, in the records' order, with no earlier work to compare. */
async function first(empty: Snapshot, items: readonly CslItem[], changed: Date, pause: () => Promise<void>): Promise<Snapshot> {
  const used = new Set<string>()
  const works = items.map((item, index) => new FileWork(item, uniqueKey(baseKey(item), used), index + 1, changed))
  const queryIndex = await MemoryQueryIndex.build(works, pause)
  return new Snapshot(works, queryIndex, empty.generation + 1, items.length, changed, empty.epoch)
}
