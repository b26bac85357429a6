import { afterAll, describe, expect, it } from 'vitest'
import { openCslServices } from '../../src/formats/csl/services.js'
import { FileStore } from '../../src/catalogue/file-store.js'
import { RenderCache } from '../../src/citations/render-cache.js'
import type { Rendered } from '../../src/citations/render.js'
import { compileDefaultStyle } from '../../src/citations/default-style.js'
import { warmUp } from '../../src/citations/warm-up.js'
import { testApp } from '../fixtures/app.js'
import { richItem, seed } from '../fixtures/works.js'
import { builtinCsl } from '../fixtures/csl.js'

describe('warm-up', () => {
  it('renders the default formats of the first works into the cache, and no others', async () => {
    const third = { ...richItem, id: 'third', DOI: '10.5555/third' }
    const store = await FileStore.fromItems([seed, richItem, third])
    const cache = new RenderCache<Rendered>(100)
    expect(await warmUp(store, builtinCsl, cache, 2)).toBe(8)
    expect(cache.stats).toMatchObject({ size: 8, misses: 8, hits: 0 })

    // Served from the cache: the APA text of a warmed work, and its BibTeX, are hits; the third work is not warm.
    const app = await testApp({ store, csl: builtinCsl, renderCache: cache })
    for (const url of [
      `/works/${seed.id}/citation?format=bibliography`,
      `/works/${richItem.id}/citation?format=bibtex`,
      `/works/${richItem.id}/citation?format=csl-json`,
    ]) {
      expect((await app.inject(url)).statusCode, url).toBe(200)
    }
    expect(cache.stats).toMatchObject({ size: 8, hits: 3 })
    expect((await app.inject('/works/third/citation?format=ris')).statusCode).toBe(200)
    expect(cache.stats).toMatchObject({ size: 9, misses: 9 })
    await app.close()
  })

  it('compiles the default style’s engine in the render workers, before any work is rendered', async () => {
    const csl = await openCslServices({ styleDirectories: [], localeDirectories: [], workers: 2, engines: 4 })
    afterAll(() => csl.renderer.close())
    await compileDefaultStyle(csl)
    const workers = await csl.renderer.engineStats()
    expect(workers.reduce((sum, worker) => sum + worker.created, 0)).toBe(1)
    // The warm-up's bibliography (APA, en-US) uses that engine: nothing more is compiled.
    const store = await FileStore.fromItems([seed])
    await warmUp(store, csl, new RenderCache<Rendered>(100), 1)
    const after = await csl.renderer.engineStats()
    expect(after.reduce((sum, worker) => sum + worker.created, 0)).toBe(1)
  })
})
