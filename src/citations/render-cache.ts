import { LRUCache } from 'lru-cache'
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
  readonly workId: string
  /** The work's version: a changed work is rendered anew, and its older renderings age out unused. */
  readonly version: string
  readonly format: Format
  readonly context: RenderContext
}

function keyOf({ workId, version, format, context }: RenderKey): string {
  const styling = format.styled ? `${context.style.id}\u0000${context.locale.id}\u0000${context.output}` : ''
  return `${format.name}\u0000${styling}\u0000${version}\u0000${workId}`
}

/** What a cache miss renders with: the caller's render function, handed to the cache's fetch. */
type Render<T> = () => T | Promise<T>

/**
 * Renderings of single works, at most `capacity` of them, least recently used evicted first. Each is
 * keyed by its work's version, so a change of one work leaves every other work's renderings in
 * place, and a request still running on the work as it was never mixes the two. A cached rendering is answered as it is, without a promise. A missing one is rendered through
 * lru-cache's fetch, which shares a render in flight between concurrent requests and keeps no failed one.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- lru-cache's values are any non-nullish value
export class RenderCache<T extends {}> {
  private readonly entries: LRUCache<string, T, Render<T>>
  private hits = 0
  private misses = 0

  constructor(
    readonly capacity: number,
    private readonly observer?: RenderCacheObserver,
  ) {
    this.entries = new LRUCache<string, T, Render<T>>({
      max: capacity,
      fetchMethod: (_key, _stale, { context }) => context(),
      // A render in flight when its entry is evicted or the cache emptied still answers the requests
      // waiting for it; it is just not kept.
      ignoreFetchAbort: true,
    })
  }

  get stats(): RenderCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size, capacity: this.capacity }
  }

  /** The cached rendering as it is (no promise), else the one running, else `render`'s. */
  getOrRender(key: RenderKey, render: Render<T>): T | Promise<T> {
    const text = keyOf(key)
    const cached = this.entries.get(text)
    if (cached !== undefined) {
      this.hits++
      this.observer?.renderCacheHit()
      return cached
    }
    this.missed()
    // Resolves to the render's value: fetch gives undefined only for an abort, which is ignored here.
    return this.entries.fetch(text, { context: render }) as Promise<T>
  }

  private missed(): void {
    this.misses++
    this.observer?.renderCacheMiss()
  }
}
