import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../src/catalogue/schema.js'
import { publish } from './fixtures/data-file.js'
import { ServerProcess } from './fixtures/server-process.js'
import { richItem, seed } from './fixtures/works.js'

const ID = 'interleukin-2-in-cancer-2005'

interface Outcome {
  readonly startedAt: number
  readonly finishedAt: number
  readonly status: number
  readonly title: string | undefined
}

/**
 * Asks for the work's metadata and its (cached) BibTeX in turns until `stop`, from `workers` clients,
 * adding each answer to `outcomes` as it comes.
 */
async function traffic(base: string, workers: number, stop: () => boolean, outcomes: Outcome[]): Promise<void> {
  const client = async (worker: number) => {
    for (let turn = 0; !stop(); turn++) {
      const startedAt = performance.now()
      if ((turn + worker) % 2 === 0) {
        const response = await fetch(`${base}/works/${ID}`)
        const body = (await response.json()) as { message?: CslItem }
        outcomes.push({ startedAt, finishedAt: performance.now(), status: response.status, title: body.message?.title })
      } else {
        const response = await fetch(`${base}/works/${ID}/citation?format=bibtex`)
        const body = await response.text()
        outcomes.push({ startedAt, finishedAt: performance.now(), status: response.status, title: /title = \{(.*)\},/.exec(body)?.[1] })
      }
    }
  }
  await Promise.all(Array.from({ length: workers }, (_, worker) => client(worker)))
}

/** Waits until `enough` holds, however long the machine takes: the tests count answers, not time. */
async function until(enough: () => boolean): Promise<void> {
  while (!enough()) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe('reloading the catalogue on SIGHUP', () => {
  let directory: string
  let file: string
  let server: ServerProcess
  let base: string

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'citeserve-reload-'))
    file = join(directory, 'works.json')
    await publish(file, JSON.stringify([{ ...seed, title: 'Old title' }, richItem]))
    server = new ServerProcess({ DATA_FILE: file, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WARM_WORKS: '0' })
    base = await server.ready()
  })
  afterAll(() => {
    server.child.kill('SIGTERM')
  })

  it('swaps the new data in under concurrent requests: none fails, none is stale after the swap', async () => {
    let stopped = false
    const outcomes: Outcome[] = []
    const running = traffic(base, 8, () => stopped, outcomes)
    await until(() => outcomes.length > 5)
    const publishedAt = performance.now()
    await publish(file, JSON.stringify([{ ...seed, title: 'New title' }, richItem]))
    server.child.kill('SIGHUP')
    const [logged] = await server.waitForOutput(/\{[^\n]*"msg":"catalogue reloaded"[^\n]*\}/)
    const swappedBy = performance.now()
    await until(() => outcomes.filter((outcome) => outcome.startedAt > swappedBy).length > 5)
    stopped = true
    await running

    expect(JSON.parse(logged)).toMatchObject({ works: 2, generation: 2 })
    expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([])
    expect(outcomes.filter((outcome) => outcome.title !== 'Old title' && outcome.title !== 'New title')).toEqual([])
    const before = outcomes.filter((outcome) => outcome.finishedAt < publishedAt)
    const after = outcomes.filter((outcome) => outcome.startedAt > swappedBy)
    expect(before.length).toBeGreaterThan(5)
    expect(after.length).toBeGreaterThan(5)
    expect(before.every((outcome) => outcome.title === 'Old title')).toBe(true)
    expect(after.filter((outcome) => outcome.title !== 'New title')).toEqual([])
  })

  it('refuses an invalid file with a log line naming the problem, and keeps serving the old data', async () => {
    await publish(file, JSON.stringify([{ ...seed, title: 'Broken', journal: 'not a CSL variable' }]))
    server.child.kill('SIGHUP')
    const [line] = await server.waitForOutput(/\{[^\n]*"msg":"catalogue reload refused[^\n]*\}/)
    const refusal = JSON.parse(line) as { reason: string; level: number }
    expect(refusal.level).toBe(50)
    expect(refusal.reason).toContain(`data file ${file}: 1 problem with records`)
    expect(refusal.reason).toContain('field "journal": is not a CSL-JSON variable')

    let stopped = false
    const outcomes: Outcome[] = []
    const running = traffic(base, 4, () => stopped, outcomes)
    await until(() => outcomes.length > 4)
    stopped = true
    await running
    expect(outcomes.length).toBeGreaterThan(4)
    expect(outcomes.filter((outcome) => outcome.status !== 200 || outcome.title !== 'New title')).toEqual([])
    const ready = (await (await fetch(`${base}/health/ready`)).json()) as { works: number }
    expect(ready.works).toBe(2)

    const metrics = await (await fetch(`${base}/metrics`)).text()
    expect(metrics).toContain('citeserve_catalogue_reloads_total{result="success"} 1')
    expect(metrics).toContain('citeserve_catalogue_reloads_total{result="failure"} 1')
    const misses = Number(/^citeserve_render_cache_misses_total (\d+)$/m.exec(metrics)?.[1])
    // BibTeX is rendered anew for each version of the work; repeats are served from the render
    // cache, and none above had the old title.
    expect(misses).toBeGreaterThanOrEqual(1)
  })
})
