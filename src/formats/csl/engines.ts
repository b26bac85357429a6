import type CslModule from 'citeproc'
import { createRequire } from 'node:module'
import { LRUCache } from 'lru-cache'
import type { CslItem } from '../../catalogue/schema.js'
import type { CslLibrary, CslLocale, CslStyle } from './library.js'

// Required rather than imported: importing this 1 MB CommonJS file from ES modules makes Node scan all
// of it for its exports first (cjs-module-lexer), 0.1 s of every render worker's start.
const CSL = createRequire(import.meta.url)('citeproc') as typeof CslModule

type Engine = InstanceType<typeof CSL.Engine>

export interface CslRequest {
  readonly style: CslStyle
  readonly locale: CslLocale
  readonly output: 'text' | 'html'
}

export interface EngineStats {
  readonly size: number
  readonly capacity: number
  readonly created: number
}

/**
 * citeproc-js engines, one per style and locale, at most `capacity` of them, least recently used
 * evicted first. (citation-js's plugin-csl keeps every engine it ever compiled in a private map, so
 * a client cycling through styles could exhaust memory; this pool is why citeserve drives citeproc
 * itself for bibliographies and citations.)
 */
export class EnginePool {
  private readonly engines: LRUCache<string, Engine>
  private created = 0

  constructor(
    private readonly library: CslLibrary,
    readonly capacity: number,
  ) {
    this.engines = new LRUCache({ max: capacity })
  }

  get stats(): EngineStats {
    return { size: this.engines.size, capacity: this.capacity, created: this.created }
  }

  /** Compiles the engine of a style and locale now, unless it is kept already, so that its first render does not wait for it. */
  compile(request: CslRequest): void {
    this.engine(request.style, request.locale)
  }

  /**
   * Lends the engine for a style and locale to `use`, with `items` as the only items it can see.
   * Rendering is synchronous, so no two callers ever share an engine at the same time.
   */
  withEngine<T>(request: CslRequest, items: readonly CslItem[], use: (engine: Engine) => T): T {
    const engine = this.engine(request.style, request.locale)
    const byId = new Map(items.map((item) => [String(item.id), item]))
    engine.sys.retrieveItem = (id: string) => {
      const item = byId.get(id)
      if (!item) throw new Error(`citeproc asked for an item it was not given: ${id}`)
      return structuredClone(item)
    }
    engine.setOutputFormat(request.output)
    try {
      return use(engine)
    } finally {
      // Drop the items, and the list citeproc appends to on every bibliography and never clears.
      engine.updateItems([])
      engine.tmp.cite_locales = []
    }
  }

  private engine(style: CslStyle, locale: CslLocale): Engine {
    const key = `${style.id}|${locale.id}`
    const cached = this.engines.get(key)
    if (cached) return cached
    const sys = {
      retrieveLocale: (id: string) => this.localeXml(id),
      retrieveItem: (): object => ({}),
    }
    const engine = new CSL.Engine(sys, style.xml(), locale.id, true)
    engine.opt.development_extensions.wrap_url_and_doi = false
    this.created++
    this.engines.set(key, engine)
    return engine
  }

  private localeXml(id: string): string | object {
    try {
      return this.library.resolveLocale(id).xml()
    } catch {
      return {} // citeproc asks for fallbacks (such as "en") that need not exist
    }
  }
}
