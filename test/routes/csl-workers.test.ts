import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { loadConfig } from '../../src/config.js'
import { openCslServices, type CslServices } from '../../src/formats/csl/services.js'
import { seed } from '../fixtures/works.js'

// Bibliographies and citations through the app, rendered by worker threads of its own.
const SEED = '/works/interleukin-2-in-cancer-2005/citation'
let directory: string
let csl: CslServices
let app: FastifyInstance

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'citeserve-styles-'))
  await writeFile(join(directory, 'not-a-style.csl'), 'this is not XML')
  csl = await openCslServices({ styleDirectories: [directory], localeDirectories: [], engines: 4, workers: 1 })
  // Compiling a style takes seconds on a busy machine: the answer timeout must not cut it short.
  app = await testApp({ items: [seed], csl, config: loadConfig({ REQUEST_TIMEOUT: '600' }) })
})
afterAll(async () => {
  await app.close()
  await csl.renderer.close()
  await rm(directory, { recursive: true })
})

describe('CSL rendering in worker threads', { timeout: 120_000 }, () => {
  it('answers other requests while a cold bibliography renders in a worker', async () => {
    let settled = false
    const cold = app.inject(`${SEED}?format=bibliography&style=vancouver&locale=de-DE`).then((response) => {
      settled = true
      return response
    })
    // Starting the worker and compiling the style take a second or more; on the event loop they
    // would hold these requests until they were done.
    for (let probe = 0; probe < 3; probe++) expect((await app.inject('/health/live')).statusCode).toBe(200)
    expect(settled).toBe(false)
    const response = await cold
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('1. Interleukin-2 in cancer [Review]. 24. Februar 2005;273–85.\n')
    const [worker] = await csl.renderer.engineStats()
    expect(worker?.created).toBe(1)
  })

  it('renders once for concurrent identical requests', async () => {
    const jobs = csl.renderer.stats.jobs
    const responses = await Promise.all(Array.from({ length: 5 }, () => app.inject(`${SEED}?format=bibliography&style=vancouver`)))
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 200, 200])
    expect(new Set(responses.map((response) => response.body))).toEqual(
      new Set(['1. Interleukin-2 in cancer [Review]. 2005 Feb 24;273–85.\n']),
    )
    expect(csl.renderer.stats.jobs).toBe(jobs + 1)
    // And from the cache afterwards, without a worker.
    expect((await app.inject(`${SEED}?format=bibliography&style=vancouver`)).statusCode).toBe(200)
    expect(csl.renderer.stats.jobs).toBe(jobs + 1)
  })

  it('answers a style citeproc cannot read with a 500 problem, and renders on', async () => {
    const response = await app.inject(`${SEED}?format=citation&style=not-a-style`)
    expect(response.statusCode).toBe(500)
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(response.json()).toMatchObject({ status: 500, type: '/problems/internal-error' })
    expect(response.body).not.toContain(directory)
    expect((await app.inject(`${SEED}?format=citation&style=vancouver`)).body).toBe('(1)\n')
    expect(csl.renderer.stats.crashes).toBe(0)
  })
})
