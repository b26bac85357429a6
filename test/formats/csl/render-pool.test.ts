import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { renderBibliography } from '../../../src/formats/bibliography.js'
import { builtinCsl as builtinXml } from '../../../src/formats/citation-js.js'
import type { CslRequest } from '../../../src/formats/csl/engines.js'
import { CslRenderError, CslRenderPool, RenderQueueFullError, type RenderPoolOptions } from '../../../src/formats/csl/render-pool.js'
import { builtinCsl, builtinEngines } from '../../fixtures/csl.js'
import { worksOf, richItem, seed } from '../../fixtures/works.js'

const works = worksOf(seed, richItem)
const { library } = builtinCsl
// Where the style does not matter, Vancouver or Harvard: each compiles in a fraction of APA's time.
const request = (style: string, locale = 'en-US', output: 'text' | 'html' = 'text'): CslRequest => ({
  style: library.resolveStyle(style),
  locale: library.resolveLocale(locale),
  output,
})

const FAILING_WORKER = new URL('../../fixtures/crashing-render-worker.ts', import.meta.url)

const pools: CslRenderPool[] = []
function poolOf(options: Partial<RenderPoolOptions> = {}): CslRenderPool {
  const pool = new CslRenderPool({
    builtins: builtinXml(),
    styleDirectories: [],
    localeDirectories: [],
    workers: 1,
    engines: 8,
    ...options,
  })
  pools.push(pool)
  return pool
}
afterAll(() => Promise.all(pools.map((pool) => pool.close())))
afterEach(() => {
  vi.useRealTimers()
})

describe('CslRenderPool', () => {
  it('renders in a worker thread exactly what the engines render in this one, compiling nothing here', async () => {
    const pool = poolOf()
    for (const [style, locale, output] of [
      ['harvard', 'en-US', 'text'],
      ['vancouver', 'de-DE', 'html'],
    ] as const) {
      expect(await pool.render('bibliography', works, request(style, locale, output))).toBe(
        renderBibliography(works, request(style, locale, output), builtinEngines),
      )
    }
    expect(await pool.render('citation', works.slice(0, 1), request('harvard'))).toBe('(2005)\n')
    const [stats] = await pool.engineStats()
    expect(stats?.threadId).not.toBe(threadId)
    expect(stats).toMatchObject({ size: 2, created: 2, capacity: 8 })
  })

  it('sends each style and locale to one worker only, and splits the engines between the workers', async () => {
    const pool = poolOf({ workers: 2, engines: 6 })
    const keys = ['vancouver', 'harvard'].flatMap((style) => ['en-US', 'de-DE'].map((locale) => [style, locale] as const))
    for (let round = 0; round < 3; round++) {
      await Promise.all(keys.map(([style, locale]) => pool.render('bibliography', works, request(style, locale))))
    }
    const stats = await pool.engineStats()
    expect(new Set(stats.map((worker) => worker.threadId)).size).toBe(stats.length)
    expect(stats.every((worker) => worker.capacity === 3)).toBe(true)
    // Four style-and-locale pairs, rendered three times each: four engines compiled in all, none twice.
    expect(stats.reduce((sum, worker) => sum + worker.created, 0)).toBe(keys.length)
    expect(pool.stats).toMatchObject({ jobs: 3 * keys.length, crashes: 0 })
  }, 60_000)

  it('compiles an engine ahead of its first render, which then compiles nothing', async () => {
    const pool = poolOf({ workers: 2, engines: 4 })
    await pool.compile(request('vancouver', 'de-DE'))
    const compiled = await pool.engineStats()
    expect(compiled.reduce((sum, worker) => sum + worker.created, 0)).toBe(1)
    expect(await pool.render('bibliography', works, request('vancouver', 'de-DE'))).toBe(
      renderBibliography(works, request('vancouver', 'de-DE'), builtinEngines),
    )
    const rendered = await pool.engineStats()
    expect(rendered.reduce((sum, worker) => sum + worker.created, 0)).toBe(1)
  })

  it('fails a compile of a style citeproc cannot read, as a render of it would', async () => {
    const pool = poolOf()
    const broken = { ...request('vancouver'), style: { id: 'not-a-style', defaultLocale: undefined, xml: () => 'this is not XML' } }
    await expect(pool.compile(broken)).rejects.toThrow(CslRenderError)
  })

  it('answers citeproc’s errors as CslRenderError, and the worker renders on', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'citeserve-styles-'))
    try {
      await writeFile(join(directory, 'not-a-style.csl'), 'this is not XML')
      const pool = poolOf({ styleDirectories: [directory] })
      const broken = { ...request('vancouver'), style: { id: 'not-a-style', defaultLocale: undefined, xml: () => '' } }
      await expect(pool.render('bibliography', works, broken)).rejects.toThrow(CslRenderError)
      expect(await pool.render('bibliography', works.slice(0, 1), request('vancouver'))).toBe(
        '1. Interleukin-2 in cancer [Review]. 2005 Feb 24;273–85.\n',
      )
      expect(pool.stats).toMatchObject({ workers: 1, crashes: 0 })
    } finally {
      await rm(directory, { recursive: true })
    }
  })

  it('fails the jobs of a worker that dies, replaces it, and renders on', async () => {
    const pool = poolOf({ entry: FAILING_WORKER })
    expect(await pool.render('bibliography', works.slice(0, 1), request('vancouver'))).toContain('Interleukin-2 in cancer')
    const [before] = await pool.engineStats()
    const crash = { ...request('vancouver'), style: { id: 'citeserve-crash', defaultLocale: undefined, xml: () => '' } }
    const failing = pool.render('bibliography', works, crash)
    await expect(failing).rejects.toThrow(/a CSL render worker stopped \(exit code 70\)/)
    expect(pool.stats).toMatchObject({ workers: 0, crashes: 1 })
    expect(await pool.render('bibliography', works.slice(0, 1), request('vancouver'))).toContain('Interleukin-2 in cancer')
    const [after] = await pool.engineStats()
    expect(after?.threadId).not.toBe(before?.threadId)
    expect(pool.stats).toMatchObject({ workers: 1, crashes: 1 })
  })

  // The watchdog runs on a fake clock, moved by the tests: no test waits for the limit.
  const HUNG_AFTER_MS = 10_000
  const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const fixtureStyle = (id: string) => ({ ...request('vancouver'), style: { id, defaultLocale: undefined, xml: () => '' } })

  it('takes a worker that answers nothing for too long for hung: its jobs fail, it is replaced, and rendering goes on', async () => {
    fakeClock()
    const pool = poolOf({ entry: FAILING_WORKER, hungAfterMs: HUNG_AFTER_MS })
    await pool.engineStats()
    const stuck = pool.render('bibliography', works, fixtureStyle('citeserve-hang'))
    // A job waiting behind the hung one is rendered by the worker that replaces it.
    const queued = pool.render('bibliography', works, request('vancouver'))
    vi.advanceTimersByTime(HUNG_AFTER_MS)
    await expect(stuck).rejects.toThrow(
      new RegExp(`^a CSL render worker stopped \\(exit code \\d: it answered nothing for ${HUNG_AFTER_MS} ms and was taken for hung\\)$`),
    )
    expect(await queued).toContain('Interleukin-2 in cancer')
    expect(pool.stats).toMatchObject({ workers: 1, crashes: 1 })
    expect(await pool.render('bibliography', works.slice(0, 1), request('vancouver'))).toContain('Interleukin-2 in cancer')
    await pool.close()
  })

  it('does not take a worker for hung while it keeps answering, however long its queue takes', async () => {
    fakeClock()
    const pool = poolOf({ entry: FAILING_WORKER, hungAfterMs: HUNG_AFTER_MS })
    await pool.engineStats()
    const slow = Array.from({ length: 4 }, () => pool.render('bibliography', works, fixtureStyle('citeserve-slow')))
    // Each job takes 0.6 of the limit on the clock: the four together take longer than it, and each is
    // answered within it of the one before.
    for (const job of slow) {
      vi.advanceTimersByTime(0.6 * HUNG_AFTER_MS)
      await expect(job).rejects.toThrow(/unknown style "citeserve-slow"/)
    }
    expect(pool.stats).toMatchObject({ workers: 1, crashes: 0 })
    await pool.close()
  })

  describe('its queue', () => {
    // A worker held by a slow job (a moment of real time, in the fixture), with jobs waiting behind it.
    const slowJob = (pool: CslRenderPool) => pool.render('bibliography', works, fixtureStyle('citeserve-slow')).catch(() => 'slow')

    it('drops a waiting job whose request was given up, without rendering it', async () => {
      const pool = poolOf({ entry: FAILING_WORKER })
      const slow = slowJob(pool)
      const givenUp = new AbortController()
      const dropped = pool.render('bibliography', works, request('vancouver'), givenUp.signal)
      const kept = pool.render('bibliography', works, request('vancouver'))
      expect(pool.stats.queued).toBe(2)
      givenUp.abort(new Error('the client left'))
      await expect(dropped).rejects.toThrow('the client left')
      expect(pool.stats.queued).toBe(1)
      await slow
      expect(await kept).toContain('Interleukin-2 in cancer')
      // The slow job and the kept one: the dropped one never reached the worker.
      expect(pool.stats).toMatchObject({ jobs: 2, queued: 0 })
      await expect(pool.render('citation', works, request('vancouver'), AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone')
    })

    it('refuses a job beyond its lane’s limit at once, and takes it again once there is room', async () => {
      const pool = poolOf({ entry: FAILING_WORKER, queueLimit: 1, bulkQueueLimit: 1 })
      const slow = slowJob(pool)
      const waiting = [
        pool.render('bibliography', works, request('vancouver')),
        pool.render('bibliography', works.slice(0, 1), request('vancouver')),
      ]
      await expect(pool.render('bibliography', works, request('vancouver'))).rejects.toThrow(RenderQueueFullError)
      await expect(pool.render('citation', works.slice(0, 1), request('vancouver'))).rejects.toMatchObject({
        lane: 'single',
        retryAfterSeconds: 1,
      })
      await slow
      await Promise.all(waiting)
      expect(await pool.render('bibliography', works, request('vancouver'))).toContain('Interleukin-2 in cancer')
    })

    it('renders single works before the bibliographies of several waiting ahead of them', async () => {
      const pool = poolOf({ entry: FAILING_WORKER })
      const slow = slowJob(pool)
      const finished: string[] = []
      const jobs = [
        pool.render('bibliography', works, request('vancouver')).then(() => finished.push('several, first')),
        pool.render('bibliography', works, request('vancouver')).then(() => finished.push('several, second')),
        pool.render('citation', works.slice(0, 1), request('vancouver')).then(() => finished.push('single')),
      ]
      await slow
      await Promise.all(jobs)
      expect(finished).toEqual(['single', 'several, first', 'several, second'])
    })
  })

  it('stops its workers on close: running jobs fail, later ones are refused', async () => {
    const pool = poolOf({ workers: 2 })
    await pool.render('bibliography', works, request('vancouver'))
    const running = expect(pool.render('bibliography', works, request('harvard', 'fr-FR'))).rejects.toThrow(
      'the CSL render workers were shut down',
    )
    await pool.close()
    await running
    expect(pool.stats).toMatchObject({ workers: 0, crashes: 0 })
    await expect(pool.render('bibliography', works, request('vancouver'))).rejects.toThrow('the CSL render workers were shut down')
  })
})
