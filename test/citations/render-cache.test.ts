import { describe, expect, it } from 'vitest'
import { getFormat } from '../../src/formats/registry.js'
import { RenderCache } from '../../src/citations/render-cache.js'
import { contextFor } from '../fixtures/csl.js'

const bibtex = getFormat('bibtex')
const bibliography = getFormat('bibliography')

/** A render function that says how often it ran and what it rendered. */
function counting() {
  let runs = 0
  return {
    render: (label: string) => () => `${label} #${++runs}`,
    runs: () => runs,
  }
}

describe('RenderCache', () => {
  it('renders once per work, format, style, locale and output, then hits', async () => {
    const cache = new RenderCache<string>(10)
    const { render, runs } = counting()
    const apa = { workId: 'a', version: 'v1', format: bibliography, context: contextFor('apa') }
    expect(await cache.getOrRender(apa, render('apa'))).toBe('apa #1')
    expect(await cache.getOrRender(apa, render('apa'))).toBe('apa #1')
    expect(await cache.getOrRender({ ...apa, context: contextFor('vancouver') }, render('vancouver'))).toBe('vancouver #2')
    expect(await cache.getOrRender({ ...apa, context: contextFor('apa', 'de-DE') }, render('de'))).toBe('de #3')
    expect(await cache.getOrRender({ ...apa, context: contextFor('apa', 'en-US', 'html') }, render('html'))).toBe('html #4')
    expect(await cache.getOrRender({ ...apa, workId: 'b' }, render('b'))).toBe('b #5')
    expect(await cache.getOrRender({ ...apa, format: bibtex }, render('bibtex'))).toBe('bibtex #6')
    expect(runs()).toBe(6)
    expect(cache.stats).toEqual({ hits: 1, misses: 6, size: 6, capacity: 10 })
  })

  it('ignores style, locale and output for formats they do not change', async () => {
    const cache = new RenderCache<string>(10)
    const { render } = counting()
    await cache.getOrRender({ workId: 'a', version: 'v1', format: bibtex, context: contextFor('apa') }, render('x'))
    const other = { workId: 'a', version: 'v1', format: bibtex, context: contextFor('vancouver', 'de-DE', 'html') }
    expect(await cache.getOrRender(other, render('y'))).toBe('x #1')
  })

  it('keeps at most its capacity, evicting the least recently used', async () => {
    const cache = new RenderCache<string>(2)
    const { render, runs } = counting()
    const key = (workId: string) => ({ workId, version: 'v1', format: bibtex, context: contextFor() })
    await cache.getOrRender(key('a'), render('a'))
    await cache.getOrRender(key('b'), render('b'))
    await cache.getOrRender(key('a'), render('a')) // a is now the most recent
    await cache.getOrRender(key('c'), render('c')) // evicts b
    expect(cache.stats.size).toBe(2)
    expect(await cache.getOrRender(key('a'), render('a'))).toBe('a #1')
    expect(await cache.getOrRender(key('b'), render('b'))).toBe('b #4')
    expect(runs()).toBe(4)
  })

  it('renders a work anew when its version changes, and keeps the renderings of the others', async () => {
    const cache = new RenderCache<string>(10)
    const { render, runs } = counting()
    const key = (workId: string, version: string) => ({ workId, version, format: bibtex, context: contextFor() })
    expect(await cache.getOrRender(key('a', 'v1'), render('a1'))).toBe('a1 #1')
    expect(await cache.getOrRender(key('b', 'v1'), render('b1'))).toBe('b1 #2')
    expect(await cache.getOrRender(key('a', 'v2'), render('a2'))).toBe('a2 #3')
    expect(await cache.getOrRender(key('b', 'v1'), render('b1'))).toBe('b1 #2')
    // A request still running on the work as it was gets that version's rendering, never the other.
    expect(await cache.getOrRender(key('a', 'v1'), render('a1'))).toBe('a1 #1')
    expect(runs()).toBe(3)
  })

  it('shares a rendering in flight between concurrent requests, then keeps it as a plain value', async () => {
    const cache = new RenderCache<string>(10)
    let runs = 0
    let finish: (text: string) => void = () => {}
    const render = () => {
      runs++
      return new Promise<string>((resolve) => (finish = resolve))
    }
    const key = { workId: 'a', version: 'v1', format: bibliography, context: contextFor() }
    const first = cache.getOrRender(key, render)
    const second = cache.getOrRender(key, render)
    finish('rendered')
    expect(await first).toBe('rendered')
    expect(await second).toBe('rendered')
    // Kept as a plain value: answered without a promise.
    expect(cache.getOrRender(key, render)).toBe('rendered')
    expect(runs).toBe(1)
    expect(cache.stats).toEqual({ hits: 1, misses: 2, size: 1, capacity: 10 })
  })

  it('keeps no failed rendering: the requests waiting for it fail, the next one renders again', async () => {
    const cache = new RenderCache<string>(10)
    const key = { workId: 'a', version: 'v1', format: bibliography, context: contextFor() }
    const failing = cache.getOrRender(key, () => Promise.reject(new Error('worker stopped')))
    const waiting = cache.getOrRender(key, () => 'never asked')
    await expect(failing).rejects.toThrow('worker stopped')
    await expect(waiting).rejects.toThrow('worker stopped')
    expect(await cache.getOrRender(key, () => Promise.resolve('second try'))).toBe('second try')
    expect(cache.stats.size).toBe(1)
  })
})
