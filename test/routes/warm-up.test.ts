import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { LiveCatalogue } from '../../src/catalogue/live-catalogue.js'
import { RenderCache } from '../../src/formats/render-cache.js'
import type { Rendered } from '../../src/routes/citations.js'
import { firstWorks, warmUp } from '../../src/routes/warm-up.js'
import { buildApp } from '../../src/app.js'
import { catalogueOf, richItem, seed } from '../fixtures/works.js'
import { builtinCsl } from '../fixtures/csl.js'

describe('warm-up', () => {
  it('renders the default formats of the first works into the cache, and no others', async () => {
    const third = { ...richItem, id: 'third', DOI: '10.5555/third' }
    const live = new LiveCatalogue(catalogueOf(seed, richItem, third))
    const cache = new RenderCache<Rendered>(100)
    expect(await warmUp(live.current, builtinCsl, cache, 2)).toBe(8)
    expect(cache.stats).toMatchObject({ size: 8, misses: 8, hits: 0 })

    // Served from the cache: the APA text of a warmed work, and its BibTeX, are hits; the third work is not warm.
    const app = await buildApp({ catalogue: live, csl: builtinCsl, renderCache: cache, config: loadConfig({ REPLAY_ENTRIES: '0' }) })
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

  it('warms the first works before the catalogue is whole: a catalogue of the first records has its works and generation', async () => {
    // Ids that make the same key, so that the first works' keys depend on the records before them.
    const items = [
      { ...seed, id: 'smith 2020' },
      { ...richItem, id: 'smith{2020}' },
      { ...richItem, id: 'smith-2020', DOI: '10.5555/third' },
      { ...seed, id: 'later', DOI: '10.5555/later' },
    ]
    const live = new LiveCatalogue(catalogueOf(...items))
    const first = firstWorks(items, 3)
    expect(first.generation).toBe(live.current.generation)
    expect(first.catalogue.works).toEqual(live.current.catalogue.works.slice(0, 3))
    expect(new Set(first.catalogue.works.map((work) => work.key)).size).toBe(3)

    const cache = new RenderCache<Rendered>(100)
    expect(await warmUp(first, builtinCsl, cache, 3)).toBe(12)
    const app = await buildApp({ catalogue: live, csl: builtinCsl, renderCache: cache, config: loadConfig({ REPLAY_ENTRIES: '0' }) })
    const bibtex = await app.inject('/works/smith-2020/citation?format=bibtex')
    expect(bibtex.headers['content-disposition']).toContain(`${live.current.catalogue.works[2]?.key}.bib`)
    expect((await app.inject(`/works/${encodeURIComponent('smith{2020}')}/citation?format=bibliography`)).statusCode).toBe(200)
    expect(cache.stats).toMatchObject({ size: 12, hits: 2 })
    await app.close()
  })

  it('warms nothing from first records that repeat an id, which the load refuses', () => {
    expect(firstWorks([seed, seed, richItem], 3).catalogue.works).toEqual([])
  })
})
