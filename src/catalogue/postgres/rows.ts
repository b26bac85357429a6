import type { CslItem } from '../schema.js'
import type { StoredWork } from '../store.js'

/** The columns of `works` a StoredWork is made from. */
export const WORK_COLUMNS = 'seq, id, key, item, version, modified'

export interface WorkRow {
  readonly seq: string
  readonly id: string
  readonly key: string
  readonly item: CslItem
  readonly version: string
  readonly modified: Date
}

// bigint arrives as a string; seqs stay far below 2^53.
export const toWork = (row: WorkRow): StoredWork => ({
  id: row.id,
  key: row.key,
  item: row.item,
  seq: Number(row.seq),
  version: row.version,
  modified: row.modified,
})
