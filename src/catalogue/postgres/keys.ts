import type pg from 'pg'
import { uniqueKey } from '../keys.js'

/**
 * Free citation keys for these base keys, in order, as the file store picks them: the first of
 * `base`, `base-2`, `base-3`, … that no other work has. Works in `released` are giving up their keys.
 */
export async function freeKeys(client: pg.ClientBase, bases: readonly string[], released: ReadonlySet<string>): Promise<string[]> {
  if (bases.length === 0) return []
  const distinct = [...new Set(bases)]
  // Keys are ASCII and compared bytewise (COLLATE "C"): a base's suffixed keys lie between "base-" and "base.".
  const { rows } = await client.query<{ id: string; key: string }>(
    `SELECT id, key FROM works, unnest($1::text[]) AS base
      WHERE key = base COLLATE "C" OR (key >= (base || '-') COLLATE "C" AND key < (base || '.') COLLATE "C")`,
    [distinct],
  )
  const used = new Set(rows.filter((row) => !released.has(row.id)).map((row) => row.key))
  return bases.map((base) => uniqueKey(base, used))
}
