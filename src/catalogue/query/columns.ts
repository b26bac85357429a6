import type { StoredWork } from '../store.js'
import { foldedKey, NO_DAY, workFacts, yearOf } from './facts.js'

/** Distinct values numbered in order of first appearance, so that a column holds small integers. */
class Dictionary {
  readonly values: string[] = []
  private readonly codes = new Map<string, number>()

  code(value: string): number {
    let code = this.codes.get(value)
    if (code === undefined) {
      code = this.values.length
      this.codes.set(value, code)
      this.values.push(value)
    }
    return code
  }

  find(value: string): number | undefined {
    return this.codes.get(value)
  }
}

export const NONE = -1
const EMPTY: readonly string[] = []
export const HAS_ABSTRACT = 1
export const HAS_DOI = 2

export const compareKeys = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0)

/** Dense ranks of the keys: equal keys share a rank, and ranks order as the keys do. */
function ranksOf<K extends number | string>(count: number, keyOf: (position: number) => K): Int32Array {
  const order = Array.from({ length: count }, (_, position) => position)
  order.sort((a, b) => compareKeys(keyOf(a), keyOf(b)))
  const ranks = new Int32Array(count)
  let rank = 0
  order.forEach((position, index) => {
    if (index > 0 && compareKeys(keyOf(order[index - 1] as number), keyOf(position)) !== 0) rank++
    ranks[position] = rank
  })
  return ranks
}

/**
 * The facts of every record (see `workFacts`) as columns by position, with the ranks the sort orders
 * compare: a filter or facet over the whole catalogue reads a few small arrays, not every record.
 */
export class FactColumns {
  readonly types = new Dictionary()
  readonly containers = new Dictionary()
  /** The container title as first written for each folded container key. */
  readonly containerNames: string[] = []
  readonly languages = new Dictionary()
  readonly years = new Dictionary()
  readonly type: Uint16Array
  /** The year of the issued date, coded by `years`, for the `published` facet. */
  readonly year: Int32Array
  readonly published: Int32Array
  readonly modified: Float64Array
  readonly container: Int32Array
  readonly language: Int32Array
  readonly flags: Uint8Array
  readonly dois: (string | null)[]
  readonly prefixes: (string | null)[]
  readonly issns: (readonly string[])[]
  readonly isbns: (readonly string[])[]
  // The sort keys and ranks only a sorted list reads, made when the first one does: they cost a
  // sort of the whole catalogue each, which a load or write need not pay.
  private titleKeysMade: readonly string[] | undefined
  private publishedRankMade: Int32Array | undefined
  private modifiedRankMade: Int32Array | undefined
  private titleRankMade: Int32Array | undefined

  constructor(private readonly works: readonly StoredWork[]) {
    const count = works.length
    this.type = new Uint16Array(count)
    this.published = new Int32Array(count)
    this.year = new Int32Array(count)
    this.modified = new Float64Array(count)
    this.container = new Int32Array(count)
    this.language = new Int32Array(count)
    this.flags = new Uint8Array(count)
    this.dois = new Array<string | null>(count)
    this.prefixes = new Array<string | null>(count)
    this.issns = new Array<readonly string[]>(count)
    this.isbns = new Array<readonly string[]>(count)
    works.forEach((work, position) => {
      const facts = workFacts(work.item)
      this.type[position] = this.types.code(facts.type)
      this.published[position] = facts.published ?? NO_DAY
      this.year[position] = facts.published === null ? NONE : this.years.code(String(yearOf(facts.published)))
      this.modified[position] = work.modified.getTime()
      this.container[position] = facts.containerKey === null ? NONE : this.containerCode(facts.containerKey, facts.containerTitle ?? '')
      this.language[position] = facts.language === null ? NONE : this.languages.code(facts.language)
      this.flags[position] = (facts.hasAbstract ? HAS_ABSTRACT : 0) | (facts.doi === null ? 0 : HAS_DOI)
      this.dois[position] = facts.doi
      this.prefixes[position] = facts.prefix
      this.issns[position] = facts.issns.length === 0 ? EMPTY : facts.issns
      this.isbns[position] = facts.isbns.length === 0 ? EMPTY : facts.isbns
    })
  }

  /** Each record's title as titles sort (see foldedKey). */
  get titleKeys(): readonly string[] {
    this.titleKeysMade ??= this.works.map(({ item }) => (item.title === undefined ? '' : foldedKey(item.title)))
    return this.titleKeysMade
  }

  get publishedRank(): Int32Array {
    this.publishedRankMade ??= ranksOf(this.works.length, (position) => this.published[position] as number)
    return this.publishedRankMade
  }

  get modifiedRank(): Int32Array {
    this.modifiedRankMade ??= ranksOf(this.works.length, (position) => this.modified[position] as number)
    return this.modifiedRankMade
  }

  get titleRank(): Int32Array {
    const keys = this.titleKeys
    this.titleRankMade ??= ranksOf(this.works.length, (position) => keys[position] as string)
    return this.titleRankMade
  }

  private containerCode(key: string, name: string): number {
    const code = this.containers.code(key)
    if (code === this.containerNames.length) this.containerNames.push(name)
    return code
  }
}
