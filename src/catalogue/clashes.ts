import { normalizeDoi } from './doi.js'
import { baseKey } from './keys.js'
import type { RecordProblem } from './record-problem.js'
import type { CslItem } from './schema.js'

/** A record (at `index`) that repeats the id, DOI or explicit citation key of an earlier one (at `earlier`). */
export interface Clash {
  readonly index: number
  readonly earlier: number
  readonly field: 'id' | 'DOI' | 'citation-key'
}

/**
 * The records that repeat an earlier record's id, DOI (compared normalised) or `citation-key` (compared
 * as the BibTeX key it gives). Keys derived from ids never clash: they are made unique with a suffix.
 */
export function findClashes(items: readonly CslItem[]): Clash[] {
  const clashes: Clash[] = []
  const ids = new Map<string, number>()
  const dois = new Map<string, number>()
  const keys = new Map<string, number>()
  const check = (seen: Map<string, number>, value: string, index: number, field: Clash['field']) => {
    const earlier = seen.get(value)
    if (earlier === undefined) seen.set(value, index)
    else clashes.push({ index, earlier, field })
  }
  items.forEach((item, index) => {
    check(ids, String(item.id), index, 'id')
    if (item.DOI !== undefined) check(dois, normalizeDoi(item.DOI), index, 'DOI')
    if (item['citation-key'] !== undefined) check(keys, baseKey(item), index, 'citation-key')
  })
  return clashes
}

const REPEATS: Readonly<Record<Clash['field'], string>> = {
  id: 'the id',
  DOI: 'the DOI',
  'citation-key': 'the citation key',
}

/** Thrown when records clash, with the clashes by position among the records. */
export class RecordClashError extends Error {
  constructor(readonly clashes: readonly Clash[]) {
    super(`${clashes.length} records repeat the id, DOI or citation key of another`)
    this.name = 'RecordClashError'
  }
}

/** Clashes of records, worded as a data file's start-up message words every problem. */
export function clashProblems(items: readonly CslItem[], clashes: readonly Clash[] = findClashes(items)): RecordProblem[] {
  return clashes.map(({ index, earlier, field }) => ({
    index,
    id: (items[index] as CslItem).id,
    field,
    message: `repeats ${REPEATS[field]} of record ${earlier}${field === 'DOI' ? ' (DOIs compare case-insensitively)' : ''}`,
  }))
}
