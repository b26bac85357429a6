import { normalizeDoi } from './doi.js'
import { RecordClashError, type RecordProblem } from './record-problem.js'
import type { CslItem } from './schema.js'
import { SearchIndex } from './search-index.js'

/** A record of the catalogue with what the service derives from it once, at load. */
export interface Work {
  /** The record's id as a string: CSL-JSON allows numbers. */
  readonly id: string
  /** A BibTeX-safe citation key, unique in the catalogue. */
  readonly key: string
  readonly item: CslItem
}

export interface WorkPage {
  readonly total: number
  readonly works: readonly Work[]
}

// Characters BibTeX and biber accept in a key without quoting; anything else becomes "-".
const UNSAFE_KEY_CHARACTERS = /[^A-Za-z0-9_.:+-]+/g
// A key that folding and replacing would leave as it is; most ids are such keys already.
const SAFE_KEY = /^[A-Za-z0-9_.:+](?:[A-Za-z0-9_.:+-]*[A-Za-z0-9_.:+])?$/

function baseKey(item: CslItem): string {
  const wanted = item['citation-key'] ?? String(item.id)
  if (SAFE_KEY.test(wanted)) return wanted
  const key = wanted
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(UNSAFE_KEY_CHARACTERS, '-')
    .replace(/^-+|-+$/g, '')
  return key === '' ? 'work' : key
}

/** An immutable catalogue with its lookup and search indexes. */
export class Catalogue {
  readonly works: readonly Work[]
  private readonly byId = new Map<string, Work>()
  private readonly byDoi = new Map<string, Work>()
  private readonly searchIndex: SearchIndex

  /**
   * @param modified when the records last changed (the data file's modification time), which HTTP
   *   reports as Last-Modified
   * @param searchIndex the index of `items`, when built beforehand (see SearchIndex.build)
   * @throws RecordClashError when ids or DOIs repeat
   */
  constructor(
    items: readonly CslItem[],
    readonly modified: Date = new Date(),
    searchIndex?: SearchIndex,
  ) {
    const clashes: Clash[] = []
    const usedKeys = new Set<string>()
    const works: Work[] = []
    for (const item of items) {
      const work: Work = { id: String(item.id), key: uniqueKey(baseKey(item), usedKeys), item }
      const sameId = this.byId.get(work.id)
      if (sameId) clashes.push({ index: works.length, earlier: sameId, field: 'id' })
      else this.byId.set(work.id, work)
      if (item.DOI !== undefined) {
        const doi = normalizeDoi(item.DOI)
        const sameDoi = this.byDoi.get(doi)
        if (sameDoi) clashes.push({ index: works.length, earlier: sameDoi, field: 'DOI' })
        else this.byDoi.set(doi, work)
      }
      works.push(work)
    }
    this.works = works
    if (clashes.length > 0) throw new RecordClashError(describeClashes(works, clashes))
    this.searchIndex = searchIndex ?? new SearchIndex(items)
  }

  get size(): number {
    return this.works.length
  }

  /** Finds a work by record id or, failing that, by DOI in any of its usual spellings. */
  find(idOrDoi: string): Work | undefined {
    return this.byId.get(idOrDoi) ?? this.byDoi.get(normalizeDoi(idOrDoi))
  }

  /** A page of the works matching every word of `query` (all works without one), in catalogue order. */
  page(query: string | undefined, offset: number, rows: number): WorkPage {
    if (query === undefined || query.trim() === '') {
      return { total: this.works.length, works: this.works.slice(offset, offset + rows) }
    }
    const positions = this.searchIndex.match(query)
    return {
      total: positions.length,
      works: positions.slice(offset, offset + rows).map((position) => this.works[position] as Work),
    }
  }
}

/** A record (at `index`) that repeats the id or DOI of an earlier one. */
interface Clash {
  readonly index: number
  readonly earlier: Work
  readonly field: 'id' | 'DOI'
}

/** The records that repeat an earlier one's id or DOI, with the position of the earlier one. */
function describeClashes(works: readonly Work[], clashes: readonly Clash[]): RecordProblem[] {
  const positionOf = new Map(works.map((work, position) => [work, position]))
  return clashes.map(({ index, earlier, field }) => ({
    index,
    id: (works[index] as Work).item.id,
    field,
    message:
      field === 'id'
        ? `repeats the id of record ${positionOf.get(earlier)}`
        : `repeats the DOI of record ${positionOf.get(earlier)} (DOIs compare case-insensitively)`,
  }))
}

function uniqueKey(base: string, used: Set<string>): string {
  let key = base
  for (let suffix = 2; used.has(key); suffix++) key = `${base}-${suffix}`
  used.add(key)
  return key
}
