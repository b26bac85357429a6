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

function baseKey(item: CslItem): string {
  const wanted = item['citation-key'] ?? String(item.id)
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
    const problems: RecordProblem[] = []
    const positionOf = new Map<Work, number>()
    const usedKeys = new Set<string>()
    this.works = items.map((item, index) => {
      const work: Work = { id: String(item.id), key: uniqueKey(baseKey(item), usedKeys), item }
      positionOf.set(work, index)
      const sameId = this.byId.get(work.id)
      if (sameId) problems.push({ index, id: item.id, field: 'id', message: `repeats the id of record ${positionOf.get(sameId)}` })
      else this.byId.set(work.id, work)
      if (item.DOI !== undefined) {
        const doi = normalizeDoi(item.DOI)
        const sameDoi = this.byDoi.get(doi)
        if (sameDoi)
          problems.push({
            index,
            id: item.id,
            field: 'DOI',
            message: `repeats the DOI of record ${positionOf.get(sameDoi)} (DOIs compare case-insensitively)`,
          })
        else this.byDoi.set(doi, work)
      }
      return work
    })
    if (problems.length > 0) throw new RecordClashError(problems)
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

function uniqueKey(base: string, used: Set<string>): string {
  let key = base
  for (let suffix = 2; used.has(key); suffix++) key = `${base}-${suffix}`
  used.add(key)
  return key
}
