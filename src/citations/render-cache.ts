import { LruMap } from '../lru-map.js'
import type { Format, RenderContext } from '../formats/registry.js'

export interface RenderCacheStats {
  readonly hits: number
  readonly misses: number
  readonly size: number
  readonly capacity: number
}

/** Told of every lookup: the service's Metrics, for one. */
export interface RenderCacheObserver {
  renderCacheHit(): void
  renderCacheMiss(): void
}

/** What a rendering of one work depends on; style, locale and output only for styled formats. */
export interface RenderKey {
  readonly generation: number
  readonly workId: string
  readonly format: Format
  readonly context: RenderContext
}

function keyOf({ workId, format, context }: RenderKey): string {
  const styling = format.styled ? `${context.style.id}\u0000${context.locale.id}\u0000${context.output}` : ''
  return `${format.name}\u0000${styling}\u0000${workId}`
}

/**
 * Renderings of single works, at most `capacity` of them, least recently used evicted first. It
 * holds one catalogue generation at a time: the first request of a newer generation empties it, and
 * requests still running on an older one neither read nor fill it, so two catalogues never mix.
 * A rendering that is a promise (CSL, from a render worker) is shared while it runs: concurrent
 * requests for it wait for the one render, and a failed one is not kept.
 */
export class RenderCache<T> {
  private readonly entries: LruMap<string, T>
  private readonly running = new Map<string, Promise<T>>()
  private generation = 0
  private hits = 0
  private misses = 0

  constructor(
    readonly capacity: number,
    private readonly observer?: RenderCacheObserver,
  ) {
    this.entries = new LruMap(capacity)
  }

  get stats(): RenderCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size, capacity: this.capacity }
  }

  /** The cached rendering as it is (no promise), else the one running, else `render`'s. */
  getOrRender(key: RenderKey, render: () => T | Promise<T>): T | Promise<T> {
    if (key.generation > this.generation) {
      this.entries.clear()
      this.running.clear()
      this.generation = key.generation
    }
    if (key.generation < this.generation) {
      this.missed()
      return render()
    }
    const text = keyOf(key)
    const cached = this.entries.get(text)
    if (cached !== undefined) {
      this.hits++
      this.observer?.renderCacheHit()
      return cached
    }
    this.missed()
    const running = this.running.get(text)
    if (running !== undefined) return running
    const rendered = render()
    if (!(rendered instanceof Promise)) {
      this.entries.set(text, rendered)
      return rendered
    }
    const generation = this.generation
    const shared = rendered
      .then((value) => {
        if (this.generation === generation) this.entries.set(text, value)
        return value
      })
      .finally(() => {
        if (this.running.get(text) === shared) this.running.delete(text)
      })
    this.running.set(text, shared)
    return shared
  }

  private missed(): void {
    this.misses++
    this.observer?.renderCacheMiss()
  }
}
