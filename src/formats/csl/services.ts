import { EnginePool } from './engines.js'
import { CslLibrary, type CslLibraryOptions } from './library.js'

export interface CslServices {
  readonly library: CslLibrary
  readonly engines: EnginePool
}

/** The styles and locales found in the directories, with a pool of at most `engines` compiled engines. */
export async function openCslServices(options: CslLibraryOptions & { readonly engines: number }): Promise<CslServices> {
  const library = await CslLibrary.open(options)
  return { library, engines: new EnginePool(library, options.engines) }
}
