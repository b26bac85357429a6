import type { FastifyInstance } from 'fastify'
import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { worksOf } from '../../src/catalogue/catalogue.js'
import { builtinCsl as builtinXml } from '../../src/formats/citation-js.js'
import { CslRenderPool } from '../../src/formats/csl/render-pool.js'
import { problemSchema } from '../../src/http/problem.js'
import { loadConfig } from '../../src/config.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { testApp } from '../fixtures/app.js'
import { builtinCsl } from '../fixtures/csl.js'

// /citations on a real port: files sent as they are rendered, sizes bounded by format, and CSL jobs
// that wait in the render queue dropped when their client leaves, or refused when the queue is full.

const SLOW_WORKER = new URL('../fixtures/crashing-render-worker.ts', import.meta.url)
const renderer = new CslRenderPool({
  builtins: builtinXml(),
  styleDirectories: [],
  localeDirectories: [],
  workers: 1,
  engines: 4,
  entry: SLOW_WORKER,
  bulkQueueLimit: 1,
})
const items = syntheticCatalogue(1200)
const works = worksOf(items)
let app: FastifyInstance
let base: string
beforeAll(async () => {
  // An answer timeout shorter than it takes the slow reader below to read its file.
  app = await testApp({ items, csl: { library: builtinCsl.library, renderer }, config: loadConfig({ REQUEST_TIMEOUT: '1' }) })
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await app.close()
  await renderer.close()
})

/** Holds the render worker for a moment of real time per job (the fixture's slow style), with nothing to wait for. */
function holdWorker(jobs: number, worksEach = 2): Promise<unknown> {
  const request = {
    style: { id: 'citeserve-slow', defaultLocale: undefined, xml: () => '' },
    locale: builtinCsl.library.resolveLocale('en-US'),
    output: 'text' as const,
  }
  const few = works.slice(0, worksEach)
  return Promise.all(Array.from({ length: jobs }, () => renderer.render('bibliography', few, request).catch(() => undefined)))
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('GET /citations, streamed', () => {
  it('sends a file as it is rendered, with a weak ETag, of 1000 works when rows is not given', async () => {
    const response = await fetch(`${base}/citations?format=csl-json`)
    expect(response.status).toBe(200)
    expect(response.headers.get('transfer-encoding')).toBe('chunked')
    const etag = response.headers.get('etag')
    expect(etag).toMatch(/^W\/"[\w-]+"$/)
    const revalidated = await fetch(`${base}/citations?format=csl-json`, { headers: { 'if-none-match': etag ?? '' } })
    expect(revalidated.status).toBe(304)
    expect(await revalidated.text()).toBe('')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="citations.json"')
    const items = (await response.json()) as { id: string }[]
    expect(items.map((item) => item.id)).toEqual(works.slice(0, 1000).map((work) => work.id))
  })

  it('sends the whole of a file that takes longer to send than the answer timeout', async () => {
    // The clock moves on while the file is being sent, past REQUEST_TIMEOUT (1 s here).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const sending = app.inject('/citations?format=schema-org&rows=1200')
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve))
      vi.advanceTimersByTime(1500)
      const response = await sending
      expect(response.statusCode).toBe(200)
      expect((JSON.parse(response.body) as { '@graph': unknown[] })['@graph']).toHaveLength(1200)
    } finally {
      vi.useRealTimers()
    }
  })

  it('bounds a bibliography to 500 works, and so its default size', async () => {
    const refused = await fetch(`${base}/citations?format=bibliography&rows=501`)
    expect(refused.status).toBe(400)
    expect(problemSchema.parse(await refused.json()).errors?.map((error) => error.name)).toEqual(['rows'])
    const text = await (await fetch(`${base}/citations?format=bibliography&style=vancouver&query=interleukin`)).text()
    const matching = ((await (await fetch(`${base}/works?query=interleukin&rows=0`)).json()) as { message: { 'total-results': number } })
      .message['total-results']
    expect(text.trim().split('\n')).toHaveLength(Math.min(500, matching))
  }, 60_000)

  it('drops a bibliography whose client leaves while it waits for the render worker', async () => {
    // Jobs of single works, which the queue of bibliographies does not count against its limit.
    const held = holdWorker(5, 1)
    await until(() => renderer.stats.queued === 4)
    const jobs = renderer.stats.jobs
    const socket = connect(Number(new URL(base).port), '127.0.0.1')
    await once(socket, 'connect')
    socket.write('GET /citations?format=bibliography&style=vancouver&rows=3 HTTP/1.1\r\nHost: x\r\n\r\n')
    await until(() => renderer.stats.queued === 5)
    socket.destroy()
    await until(() => renderer.stats.queued < 5)
    await held
    await until(() => renderer.stats.queued === 0)
    // The five jobs that held the worker, and not the bibliography.
    expect(renderer.stats.jobs - jobs).toBe(4)
  })

  it('answers 503 with Retry-After when the queue for bibliographies is full, and renders again once it is not', async () => {
    const held = holdWorker(2)
    await until(() => renderer.stats.queued === 1)
    const refused = await fetch(`${base}/citations?format=bibliography&style=vancouver&rows=3`)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('5')
    expect(problemSchema.parse(await refused.json()).type).toBe('/problems/service-busy')
    await held
    expect((await fetch(`${base}/citations?format=bibliography&style=vancouver&rows=3`)).status).toBe(200)
  }, 60_000)
})
