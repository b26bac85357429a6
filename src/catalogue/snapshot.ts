import { RecordClashError, type Clash } from './clashes.js'
import { normalizeDoi } from './doi.js'
import type { FileWork } from './file-work.js'
import { baseKey } from './keys.js'
import { MemoryQueryIndex } from './query/memory-index.js'
import type { CatalogueState, ListRequest, WorkPage, WorkQuery } from './store.js'

/**
 * One state of the file store's catalogue, never changed once built: its works in catalogue order
 * (by seq) with their lookup and query indexes. A request reads one snapshot and uses it to the end.
 */
export class Snapshot {
  private readonly byId = new Map<string, FileWork>()
  private readonly byDoi = new Map<string, FileWork>()
  private sortedTypes: readonly string[] | undefined
  readonly state: CatalogueState

  /**
   * @param works in ascending seq order
   * @throws RecordClashError when works repeat an id, a DOI or a citation key of their own
   * @param queryIndex the query index of the works
   * @param generation counts the snapshots of this store that changed something, from 1
   * @param lastSeq the highest seq this store has given, to works that may be gone since
   * @param epoch names this store among others, in state versions
   */
  constructor(
    readonly works: readonly FileWork[],
    private readonly queryIndex: MemoryQueryIndex<FileWork>,
    readonly generation: number,
    readonly lastSeq: number,
    modified: Date,
    readonly epoch: string,
  ) {
    let earliest = modified.getTime()
    const clashes: { index: number; earlier: FileWork; field: Clash['field'] }[] = []
    const explicitKeys = new Map<string, FileWork>()
    // The maps are built anyway: checking for clashes as they fill costs a first load no pass of its own.
    const add = (map: Map<string, FileWork>, value: string, work: FileWork, index: number, field: Clash['field']) => {
      const earlier = map.get(value)
      if (earlier === undefined) map.set(value, work)
      else clashes.push({ index, earlier, field })
    }
    works.forEach((work, index) => {
      add(this.byId, work.id, work, index, 'id')
      if (work.item.DOI !== undefined) add(this.byDoi, normalizeDoi(work.item.DOI), work, index, 'DOI')
      if (work.item['citation-key'] !== undefined) add(explicitKeys, baseKey(work.item), work, index, 'citation-key')
      earliest = Math.min(earliest, work.modified.getTime())
    })
    if (clashes.length > 0)
      throw new RecordClashError(clashes.map(({ earlier, ...clash }) => ({ ...clash, earlier: works.indexOf(earlier) })))
    this.state = { works: works.length, version: `${epoch}.${generation}`, modified, earliestModified: new Date(earliest) }
  }

  static empty(epoch: string): Snapshot {
    return new Snapshot([], MemoryQueryIndex.empty(), 0, 0, new Date(0), epoch)
  }

  withId(id: string): FileWork | undefined {
    return this.byId.get(id)
  }

  find(idOrDoi: string): FileWork | undefined {
    return this.byId.get(idOrDoi) ?? this.byDoi.get(normalizeDoi(idOrDoi))
  }

  types(): readonly string[] {
    this.sortedTypes ??= [...new Set(this.works.map((work) => work.item.type))].sort()
    return this.sortedTypes
  }

  list(request: ListRequest): WorkPage {
    return this.queryIndex.list(request)
  }

  /** The works matching `query` after the one with seq `afterSeq`, `size` at a time. */
  *batches(query: WorkQuery, afterSeq: number | undefined, size: number): Generator<readonly FileWork[]> {
    const matching = this.queryIndex.matching(query)
    for (let from = startAfter(matching, afterSeq); from < matching.length; from += size) yield matching.slice(from, from + size)
  }
}

/** The index of the first of the works (in seq order) whose seq is above `afterSeq`. */
function startAfter(works: readonly FileWork[], afterSeq: number | undefined): number {
  if (afterSeq === undefined) return 0
  let low = 0
  let high = works.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((works[middle] as FileWork).seq <= afterSeq) low = middle + 1
    else high = middle
  }
  return low
}
