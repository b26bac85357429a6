import { describe, expect, it } from 'vitest'
import type { Catalogue } from '../../src/catalogue/catalogue.js'
import { CatalogueError } from '../../src/catalogue/load.js'
import { LiveCatalogue } from '../../src/catalogue/live-catalogue.js'
import { catalogueOf, richItem, seed } from '../fixtures/works.js'

/** A loader whose loads finish only when the test says so, counting how often it was called. */
function controlledLoader(results: (() => Catalogue)[]) {
  const finishers: (() => void)[] = []
  let calls = 0
  const load = () => {
    const result = results[calls++] as () => Catalogue
    return new Promise<Catalogue>((resolve, reject) =>
      finishers.push(() => {
        try {
          resolve(result())
        } catch (error) {
          reject(error)
        }
      }),
    )
  }
  const finishNext = async () => {
    while (finishers.length === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    ;(finishers.shift() as () => void)()
  }
  return { load, finishNext, calls: () => calls }
}

describe('LiveCatalogue', () => {
  it('swaps in a valid catalogue with the next generation, keeping earlier snapshots intact', async () => {
    const first = catalogueOf(seed)
    const second = catalogueOf(seed, richItem)
    const live = new LiveCatalogue(first, async () => second)
    const before = live.current
    const result = await live.reload()
    expect(result).toMatchObject({ ok: true, works: 2, generation: 2 })
    expect(live.current).toEqual({ catalogue: second, generation: 2 })
    expect(before).toEqual({ catalogue: first, generation: 1 })
  })

  it('refuses an invalid catalogue and keeps serving the old one', async () => {
    const first = catalogueOf(seed)
    const error = new CatalogueError('works.json', 'is not valid JSON')
    const live = new LiveCatalogue(first, () => Promise.reject(error))
    const result = await live.reload()
    expect(result).toMatchObject({ ok: false, error })
    expect(live.current).toEqual({ catalogue: first, generation: 1 })
  })

  it('refuses to reload a catalogue that has no file', async () => {
    const live = new LiveCatalogue(catalogueOf(seed))
    expect((await live.reload()).ok).toBe(false)
    expect(live.current.generation).toBe(1)
  })

  it('coalesces reloads asked for during a reload into one more', async () => {
    const catalogues = [catalogueOf(seed), catalogueOf(seed, richItem)]
    const loader = controlledLoader(catalogues.map((catalogue) => () => catalogue))
    const live = new LiveCatalogue(catalogueOf(richItem), loader.load)
    const running = live.reload()
    const queued = [live.reload(), live.reload(), live.reload()]
    await loader.finishNext()
    expect(await running).toMatchObject({ ok: true, works: 1, generation: 2 })
    await loader.finishNext()
    for (const result of await Promise.all(queued)) expect(result).toMatchObject({ ok: true, works: 2, generation: 3 })
    expect(loader.calls()).toBe(2)
    expect(live.current.catalogue).toBe(catalogues[1])
  })
})
