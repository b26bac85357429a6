import { normalizeDoi } from '../doi.js'
import { tokenize } from '../search-index.js'
import type { ListRequest, StoredWork, WorkPage, WorkQuery } from '../store.js'
import { compareKeys, FactColumns } from './columns.js'
import { countFacets } from './facet-counts.js'
import { filterPredicate } from './filter-predicate.js'
import { Postings } from './postings.js'
import { DOI_BONUS, doiInText, PHRASE_WEIGHT, rankedQueries, rarity, roundScore, type RankedQuery } from './relevance.js'
import { topInOrder } from './top.js'
import { effectiveSort, type SortKey, type SortPosition, type WorkSort } from './types.js'

/** Records indexed between two pauses of an asynchronous build: a few milliseconds of work. */
const SLICE = 1000

/** The works a query matches, in catalogue order, with their scores when it has words. */
interface Matches {
  readonly positions: Int32Array
  /** By position in the catalogue, for every record; undefined for a query without words. */
  readonly scores: Float64Array | undefined
}

const NOTHING: Matches = { positions: new Int32Array(0), scores: undefined }

/**
 * The file store's query engine: filters, field queries with relevance, sort orders, facets and keyset
 * paging over an immutable list of works, in memory. Built once per catalogue snapshot.
 */
export class MemoryQueryIndex<W extends StoredWork = StoredWork> {
  private constructor(
    private readonly works: readonly W[],
    private readonly postings: Postings,
    private readonly columns: FactColumns,
  ) {}

  /** Indexes the works (in seq order), awaiting `pause` now and then to leave the event loop to requests. */
  static async build<W extends StoredWork>(works: readonly W[], pause: () => Promise<void> = async () => {}): Promise<MemoryQueryIndex<W>> {
    const postings = await Postings.build(
      works.map((work) => work.item),
      pause,
      SLICE,
    )
    return new MemoryQueryIndex(works, postings, new FactColumns(works))
  }

  /** The index of no works. */
  static empty<W extends StoredWork>(): MemoryQueryIndex<W> {
    return new MemoryQueryIndex<W>([], Postings.empty(), new FactColumns([]))
  }

  /** Every work the query matches, in catalogue order. */
  matching(query: WorkQuery): W[] {
    return Array.from(this.match(query).positions, (position) => this.works[position] as W)
  }

  list(request: ListRequest): WorkPage {
    const { positions, scores } = this.match(request.query)
    const facets = request.facets === undefined ? undefined : countFacets(this.columns, positions, request.facets)
    const sort = effectiveSort(request.sort, scores !== undefined)
    const page = sort === null ? this.inCatalogueOrder(positions, request) : this.sorted(positions, scores, sort, request)
    return {
      total: positions.length,
      works: page.map((position) => this.works[position] as StoredWork),
      ...(sort === null ? {} : { keys: page.map((position) => this.keyOf(position, sort, scores)) }),
      ...(scores === undefined ? {} : { scores: page.map((position) => scores[position] as number) }),
      ...(facets === undefined ? {} : { facets }),
    }
  }

  private inCatalogueOrder(positions: Int32Array, request: ListRequest): number[] {
    const afterSeq = request.after?.seq ?? request.afterSeq
    let start = 0
    if (afterSeq !== undefined) {
      // The first match with a larger seq: positions ascend with seq.
      let high = positions.length
      while (start < high) {
        const middle = (start + high) >>> 1
        if ((this.works[positions[middle] as number] as StoredWork).seq <= afterSeq) start = middle + 1
        else high = middle
      }
    }
    start += request.offset ?? 0
    return Array.from(positions.subarray(start, start + request.rows))
  }

  private sorted(positions: Int32Array, scores: Float64Array | undefined, sort: WorkSort, request: ListRequest): number[] {
    const rank = this.rankOf(sort, scores)
    const direction = sort.order === 'asc' ? 1 : -1
    const before = (a: number, b: number) => direction * (rank(a) - rank(b)) || a - b
    const after = request.after
    const candidates = after === undefined ? positions : positions.filter((position) => this.comesAfter(position, after, sort, scores))
    const skip = request.offset ?? 0
    return topInOrder(candidates, skip + request.rows, before).slice(skip)
  }

  /** What orders records in a sort: the score, or the rank of the sort key (cheaper to compare than titles). */
  private rankOf(sort: WorkSort, scores: Float64Array | undefined): (position: number) => number {
    const ranks = (rank: Int32Array) => (position: number) => rank[position] as number
    switch (sort.by) {
      case 'relevance':
        return (position) => (scores as Float64Array)[position] as number
      case 'published':
        return ranks(this.columns.publishedRank)
      case 'updated':
        return ranks(this.columns.modifiedRank)
      case 'title':
        return ranks(this.columns.titleRank)
    }
  }

  private keyOf(position: number, sort: WorkSort | null, scores: Float64Array | undefined): SortKey {
    switch (sort?.by) {
      case undefined:
        return null
      case 'relevance':
        return (scores as Float64Array)[position] as number
      case 'published':
        return this.columns.published[position] as number
      case 'updated':
        return this.columns.modified[position] as number
      case 'title':
        return this.columns.titleKeys[position] as string
    }
  }

  private comesAfter(position: number, after: SortPosition, sort: WorkSort, scores: Float64Array | undefined): boolean {
    const key = this.keyOf(position, sort, scores) as number | string
    const compared = (sort.order === 'asc' ? 1 : -1) * compareKeys(key, after.key ?? '')
    return compared > 0 || (compared === 0 && (this.works[position] as StoredWork).seq > after.seq)
  }

  private match(query: WorkQuery): Matches {
    const passes = filterPredicate(this.columns, query)
    const count = this.works.length
    const queries = rankedQueries(query.text, query.fields, tokenize)
    const given = [query.text, ...Object.values(query.fields ?? {})].filter((text) => text !== undefined && text.trim() !== '')
    // Words were asked for but none are words (only punctuation): nothing can match them.
    if (given.length > queries.length) return NOTHING
    if (queries.length === 0) {
      const positions: number[] = []
      for (let position = 0; position < count; position++) if (passes(position)) positions.push(position)
      return { positions: Int32Array.from(positions), scores: undefined }
    }
    const scores = new Float64Array(count)
    const satisfied = new Uint16Array(count)
    let required = 0
    for (const ranked of queries) {
      const needs = this.score(ranked, query.fields?.bibliographic, scores, satisfied)
      if (needs === undefined) return NOTHING
      required += needs
    }
    const positions: number[] = []
    for (let position = 0; position < count; position++) {
      if (satisfied[position] === required && passes(position)) positions.push(position)
    }
    for (const ranked of queries) if (ranked.phrase) this.addPhraseBonus(ranked, positions, scores)
    for (const position of positions) scores[position] = roundScore(scores[position] as number)
    return { positions: Int32Array.from(positions), scores }
  }

  /**
   * Adds the query's scores and counts, for each record, the conditions it satisfies: one per word
   * for a query that needs every word, one for any word of the others.
   * @returns how many conditions a record must satisfy, or undefined when no record can
   */
  private score(ranked: RankedQuery, bibliographic: string | undefined, scores: Float64Array, satisfied: Uint16Array): number | undefined {
    const { postings } = this
    const count = this.works.length
    const found = ranked.every ? undefined : new Uint8Array(count)
    const hit = (position: number) => {
      if (found !== undefined) {
        if (found[position] === 1) return
        found[position] = 1
      }
      satisfied[position] = (satisfied[position] as number) + 1
    }
    const words = [...new Set(ranked.words)]
    for (const word of words) {
      const id = postings.ids.get(word)
      if (id === undefined) {
        if (ranked.every) return undefined
        continue
      }
      const weight = rarity(count, postings.count(id))
      const end = postings.starts[id + 1] as number
      for (let at = postings.starts[id] as number; at < end; at++) {
        const fieldWeight = ranked.weightOfMask[postings.masks[at] as number] as number
        if (fieldWeight === 0) continue
        const position = postings.positions[at] as number
        scores[position] = (scores[position] as number) + weight * fieldWeight
        hit(position)
      }
    }
    const doi = ranked.name === 'bibliographic' && bibliographic !== undefined ? doiInText(bibliographic) : undefined
    if (doi !== undefined) {
      const wanted = normalizeDoi(doi)
      this.columns.dois.forEach((value, position) => {
        if (value !== wanted) return
        scores[position] = (scores[position] as number) + DOI_BONUS
        hit(position)
      })
    }
    return ranked.every ? words.length : 1
  }

  /** Each pair of the query's words that stands side by side in a record's title, in order, adds to its score once. */
  private addPhraseBonus(ranked: RankedQuery, positions: readonly number[], scores: Float64Array): void {
    const { postings } = this
    const count = this.works.length
    const ids = ranked.words.map((word) => postings.ids.get(word))
    const pairs = new Map<number, number>()
    for (let index = 1; index < ids.length; index++) {
      const first = ids[index - 1]
      const second = ids[index]
      if (first === undefined || second === undefined) continue
      const bonus = (PHRASE_WEIGHT * (rarity(count, postings.count(first)) + rarity(count, postings.count(second)))) / 2
      pairs.set(pairKey(first, second), bonus)
    }
    if (pairs.size === 0) return
    const counted = new Set<number>()
    for (const position of positions) {
      const end = postings.titleStarts[position + 1] as number
      counted.clear()
      for (let at = (postings.titleStarts[position] as number) + 1; at < end; at++) {
        const key = pairKey(postings.titleWords[at - 1] as number, postings.titleWords[at] as number)
        const bonus = pairs.get(key)
        if (bonus === undefined || counted.has(key)) continue
        counted.add(key)
        scores[position] = (scores[position] as number) + bonus
      }
    }
  }
}

/** Two word ids as one number: ids stay far below 2^26, so the product stays an exact integer. */
const pairKey = (first: number, second: number) => first * 67_108_864 + second
