import type { CatalogueStore } from '../catalogue/store.js'
import type { CslServices } from '../formats/csl/services.js'
import { getFormat } from '../formats/registry.js'
import type { RenderCache } from './render-cache.js'
import { renderContext, renderWork, type Rendered } from './render.js'

/**
 * The formats clients ask for most, each in its default style and locale (APA, en-US, text). The
 * bibliography comes first: its renders are sent to a render worker at once, and the worker renders
 * them while the main thread renders the other formats.
 */
const DEFAULT_FORMATS = ['bibliography', 'bibtex', 'ris', 'csl-json'] as const

/**
 * Renders the default formats of the first `works` works into the cache; the first bibliography also
 * compiles the default style's engine in its render worker, which would otherwise delay the first
 * bibliography request by seconds. Returns how many renderings it made.
 */
export async function warmUp(store: CatalogueStore, csl: CslServices, cache: RenderCache<Rendered>, works: number): Promise<number> {
  const chosen = works > 0 ? (await store.list({ query: {}, rows: works })).works : []
  const renders = DEFAULT_FORMATS.flatMap((name) => {
    const format = getFormat(name)
    const context = renderContext(format, {}, 'query', csl)
    return chosen.map((work) => renderWork(format, work, context, cache))
  })
  // eslint-disable-next-line @typescript-eslint/await-thenable -- a cached rendering is a value, a new one a promise
  await Promise.all(renders)
  return renders.length
}
