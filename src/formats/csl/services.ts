import { builtinCsl } from '../citation-js.js'
import { CslLibrary, type CslLibraryOptions } from './library.js'
import { CslRenderPool } from './render-pool.js'

export interface CslServices {
  readonly library: CslLibrary
  /** Renders bibliographies and citations in worker threads; `close()` it when done. */
  readonly renderer: CslRenderPool
}

export interface CslServicesOptions extends Omit<CslLibraryOptions, 'builtins'> {
  /** Compiled engines (style × locale) kept by all render workers together. */
  readonly engines: number
  /** Render worker threads. */
  readonly workers: number
  /** How long a busy worker may go without answering before it is taken for hung and replaced. */
  readonly hungAfterMs?: number
  /** Jobs of single works, and of several, that may wait for a worker. */
  readonly queueLimit?: number
  readonly bulkQueueLimit?: number
}

/** The styles and locales found in the directories, and the workers that render with them. */
export async function openCslServices(options: CslServicesOptions): Promise<CslServices> {
  const builtins = builtinCsl()
  const library = await CslLibrary.open({ ...options, builtins })
  return { library, renderer: new CslRenderPool({ ...options, builtins }) }
}
