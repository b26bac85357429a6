import type { CatalogueSnapshot } from '../catalogue/live-catalogue.js'
import type { CslServices } from '../formats/csl/services.js'
import type { RenderCache } from '../formats/render-cache.js'
import { getFormat } from '../formats/registry.js'
import { renderContext, renderWork, type Rendered } from './citations.js'

/** The formats clients ask for most, each in its default style and locale (APA, en-US, text). */
const DEFAULT_FORMATS = ['bibtex', 'ris', 'csl-json', 'bibliography'] as const

/**
 * Renders the default formats of the first `works` works into the cache, so that they are ready
 * before the server reports ready; the first bibliography also compiles the default style's engine
 * in its render worker, which takes citeproc-js about 2 s and would otherwise delay the first
 * bibliography request.
 */
export async function warmUp(snapshot: CatalogueSnapshot, csl: CslServices, cache: RenderCache<Rendered>, works: number): Promise<number> {
  const chosen = snapshot.catalogue.works.slice(0, works)
  for (const name of DEFAULT_FORMATS) {
    const format = getFormat(name)
    const context = renderContext(format, {}, 'query', csl)
    await Promise.all(chosen.map((work) => renderWork(format, work, context, snapshot, cache)))
  }
  return chosen.length * DEFAULT_FORMATS.length
}
