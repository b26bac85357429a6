import { Catalogue, type Work } from '../catalogue/catalogue.js'
import { FIRST_GENERATION, type CatalogueSnapshot } from '../catalogue/live-catalogue.js'
import { RecordClashError } from '../catalogue/record-problem.js'
import type { CslItem } from '../catalogue/schema.js'
import type { CslServices } from '../formats/csl/services.js'
import type { RenderCache } from '../formats/render-cache.js'
import { getFormat } from '../formats/registry.js'
import { renderContext, renderWork, type Rendered } from './citations.js'

/**
 * The formats clients ask for most, each in its default style and locale (APA, en-US, text). The
 * bibliography comes first: its renders are sent to a render worker at once, and the worker renders
 * them while the main thread renders the other formats.
 */
const DEFAULT_FORMATS = ['bibliography', 'bibtex', 'ris', 'csl-json'] as const

/**
 * Renders the default formats of the first `works` works into the cache, so that they are ready
 * before the server reports ready; the first bibliography also compiles the default style's engine
 * in its render worker, which takes citeproc-js about 2 s and would otherwise delay the first
 * bibliography request.
 */
export async function warmUp(snapshot: CatalogueSnapshot, csl: CslServices, cache: RenderCache<Rendered>, works: number): Promise<number> {
  const chosen = snapshot.catalogue.works.slice(0, works)
  const renders = DEFAULT_FORMATS.flatMap((name) => {
    const format = getFormat(name)
    const context = renderContext(format, {}, 'query', csl)
    return chosen.map((work) => renderWork(format, work, context, snapshot, cache))
  })
  // eslint-disable-next-line @typescript-eslint/await-thenable -- a cached rendering is a value, a new one a promise
  await Promise.all(renders)
  return renders.length
}

/** A record of no catalogue, for compiling the default style before the catalogue is loaded. */
const STAND_IN: Work = { id: 'warm-up', key: 'warm-up', item: { id: 'warm-up', type: 'book', title: 'Warm-up' } }

/**
 * Compiles the default style's engine (APA, en-US) in its render worker, with a stand-in record: it
 * needs no catalogue, so the server has it done while the main thread loads one.
 */
export async function compileDefaultStyle(csl: CslServices): Promise<void> {
  const format = getFormat('bibliography')
  await format.render([STAND_IN], renderContext(format, {}, 'query', csl))
}

/**
 * The first `works` records of a data file as a catalogue of their own, in the first generation, for
 * the warm-up to render while the whole catalogue is still being indexed. Its works are the ones the
 * whole catalogue starts with (the same records, ids and keys: a work's key depends only on the
 * records before it), so what the warm-up caches for them is what the whole catalogue's first
 * generation serves. Records that repeat an id or DOI among themselves make a file the load refuses
 * anyway: then there is nothing to warm.
 */
export function firstWorks(items: readonly CslItem[], works: number): CatalogueSnapshot {
  try {
    return { catalogue: new Catalogue(items.slice(0, works)), generation: FIRST_GENERATION }
  } catch (error) {
    if (!(error instanceof RecordClashError)) throw error
    return { catalogue: new Catalogue([]), generation: FIRST_GENERATION }
  }
}
