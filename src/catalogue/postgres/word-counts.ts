import { LRUCache } from 'lru-cache'

/** Words whose counts a process keeps: far more than queries use between two changes of a catalogue. */
const WORDS = 100_000

/**
 * How many works hold each word, as relevance weighs words, kept until the catalogue changes: counting
 * a common word costs a pass over its index entries, and the same words come back query after query.
 */
export class WordCountCache {
  private readonly counts = new LRUCache<string, number>({ max: WORDS })
  private epoch = -1

  /**
   * The counts of the words, those not kept counted by `count`. `epoch` is the catalogue's state when
   * the call began (see WorkCache): counts from an older state are dropped, and counts that may have
   * been read across a change are not kept.
   */
  async get(
    words: readonly string[],
    epoch: number,
    current: () => number | undefined,
    count: (words: readonly string[]) => Promise<ReadonlyMap<string, number>>,
  ): Promise<Map<string, number>> {
    if (epoch !== this.epoch) {
      this.counts.clear()
      this.epoch = epoch
    }
    const found = new Map<string, number>()
    const missing: string[] = []
    for (const word of words) {
      const known = this.counts.get(word)
      if (known === undefined) missing.push(word)
      else found.set(word, known)
    }
    if (missing.length === 0) return found
    const counted = await count(missing)
    const keep = current() === epoch && this.epoch === epoch
    for (const [word, works] of counted) {
      found.set(word, works)
      if (keep) this.counts.set(word, works)
    }
    return found
  }
}
