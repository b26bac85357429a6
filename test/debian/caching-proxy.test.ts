import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { startCachingProxy, type CachingProxy } from '../fixtures/caching-proxy.js'
import { publish } from '../fixtures/data-file.js'
import { ServerProcess } from '../fixtures/server-process.js'
import { richItem, seed } from '../fixtures/works.js'
import { installed } from './tools.js'

// Debian's nginx with deploy/nginx/citeserve.conf in front of a real citeserve. Requests are made
// with node:http, which neither adds Accept-Encoding nor decodes bodies, so what nginx sends is what
// is checked; citeserve's own /metrics (read directly, not through nginx) says which reached Node.

interface Answer {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: Buffer
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }))
      response.once('error', reject)
    })
      .once('error', reject)
      .end()
  })
}

const cacheStatus = (answer: Answer) => answer.headers['x-cache-status']

/** How many requests of `route` citeserve answered with `status`, by its own count. */
async function answered(server: string, route: string, status: number): Promise<number> {
  const metrics = (await get(`${server}/metrics`)).body.toString()
  const line = metrics
    .split('\n')
    .find((text) => text.startsWith(`citeserve_http_requests_total{route="${route}",method="GET",status="${status}"} `))
  return line === undefined ? 0 : Number(line.split(' ')[1])
}

const ID = String(seed.id)
const CORS_ORIGINS = ['http://a.example', 'http://b.example']

/** A citeserve and nginx in front of it; `stop` ends whichever of them has started. */
class Pair {
  readonly server: ServerProcess
  direct = ''
  proxy: CachingProxy | undefined

  constructor(env: Record<string, string>) {
    this.server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1', ...env })
  }

  async start(): Promise<string> {
    this.direct = await this.server.listening()
    this.proxy = await startCachingProxy(this.direct.replace('http://', ''))
    return this.proxy.base
  }

  async stop(): Promise<void> {
    await this.proxy?.stop()
    this.server.child.kill('SIGTERM')
  }
}

// Starting a server takes seconds on a busy machine.
const STARTUP_MS = 60_000

describe('the nginx caching proxy in deploy/nginx/citeserve.conf', () => {
  let pair: Pair | undefined
  let direct: string
  let proxy: string

  beforeAll(async () => {
    expect(installed('nginx'), 'nginx is not installed (apt-get install nginx)').toBe(true)
    // Answers stay fresh far longer than this file runs; the reload below has its own short-lived server.
    pair = new Pair({ CACHE_MAX_AGE: '300', CORS_ORIGINS: CORS_ORIGINS.join(',') })
    proxy = await pair.start()
    direct = pair.direct
  }, STARTUP_MS)
  afterAll(() => pair?.stop())

  it('answers a repeated GET from its cache, without reaching citeserve', async () => {
    const path = `/works/${ID}/citation?format=ris`
    const before = await answered(direct, '/works/:id/citation', 200)
    const answers = [await get(`${proxy}${path}`), await get(`${proxy}${path}`), await get(`${proxy}${path}`)]
    expect(answers.map(cacheStatus)).toEqual(['MISS', 'HIT', 'HIT'])
    expect(await answered(direct, '/works/:id/citation', 200)).toBe(before + 1)
    for (const answer of answers) {
      expect(answer.status).toBe(200)
      expect(answer.body.toString()).toMatch(/^TY {2}- /)
      expect(answer.body).toEqual(answers[0]?.body)
    }
  })

  it('keeps one answer per Accept, and never serves one for another', async () => {
    const path = `/works/${ID}`
    const checks: [string, (body: string) => void][] = [
      ['application/json', (body) => expect((JSON.parse(body) as { message: { id: string } }).message.id).toBe(ID)],
      ['application/x-bibtex', (body) => expect(parseBibtex(body).entries.map((entry) => entry.type)).toEqual(['article'])],
      ['application/x-research-info-systems', (body) => expect(body).toMatch(/^TY {2}- JOUR\r\n/)],
      // A body too short to compress, whose Vary names Accept alone.
      ['text/x-bibliography', (body) => expect(body).toContain('Interleukin-2 in cancer')],
    ]
    const before = await answered(direct, '/works/:id', 200)
    for (const round of ['MISS', 'HIT']) {
      for (const [accept, check] of checks) {
        const answer = await get(`${proxy}${path}`, { accept })
        expect(answer.headers['content-type']).toBe(`${accept}; charset=utf-8`)
        check(answer.body.toString())
        expect(cacheStatus(answer), accept).toBe(round)
      }
    }
    expect(await answered(direct, '/works/:id', 200)).toBe(before + checks.length)
  })

  it('sends gzip or brotli only to a client that asked for it, and the plain body to one that did not', async () => {
    const path = '/works?rows=20'
    const decoders: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync }
    const clients: [string | undefined, string | undefined][] = [
      ['gzip', 'gzip'],
      [undefined, undefined],
      ['br, gzip', 'br'],
      ['identity', undefined],
      ['gzip;q=0, br;q=0', undefined],
    ]
    const bodies = new Set<string>()
    for (const round of ['MISS', 'HIT']) {
      for (const [acceptEncoding, coding] of clients) {
        const answer = await get(`${proxy}${path}`, acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding })
        expect(answer.headers['content-encoding'], acceptEncoding).toBe(coding)
        const body = coding === undefined ? answer.body : (decoders[coding] as (body: Buffer) => Buffer)(answer.body)
        bodies.add(body.toString())
        expect((JSON.parse(body.toString()) as { 'message-type': string })['message-type']).toBe('work-list')
        expect(cacheStatus(answer), acceptEncoding).toBe(round)
      }
    }
    expect(bodies.size).toBe(1)
  })

  it('answers If-None-Match with 304 from its cache, and with 200 when the tag differs', async () => {
    const path = `/works/${ID}/citation?format=bibtex`
    // Not yet stored: nginx asks citeserve for the whole answer, stores it, and answers the condition itself.
    const { etag } = (await get(`${direct}${path}`)).headers
    const before = await answered(direct, '/works/:id/citation', 200)
    const cold = await get(`${proxy}${path}`, { 'if-none-match': String(etag) })
    expect([cold.status, cacheStatus(cold), cold.headers.etag, cold.body.length]).toEqual([304, 'MISS', etag, 0])
    const warm = await get(`${proxy}${path}`, { 'if-none-match': String(etag) })
    expect([warm.status, cacheStatus(warm), warm.headers.etag, warm.body.length]).toEqual([304, 'HIT', etag, 0])
    const changed = await get(`${proxy}${path}`, { 'if-none-match': '"another"' })
    expect([changed.status, cacheStatus(changed), changed.headers.etag]).toEqual([200, 'HIT', etag])
    expect(changed.body.toString()).toMatch(/^@article\{/)
    expect(await answered(direct, '/works/:id/citation', 200)).toBe(before + 1)
  })

  it('keeps the CORS headers of each Origin, and never gives one origin’s to another', async () => {
    const path = `/works/${ID}/citation?format=csl-json`
    const origins = [...CORS_ORIGINS, 'http://elsewhere.example', undefined]
    for (const round of ['MISS', 'HIT']) {
      for (const origin of origins) {
        const answer = await get(`${proxy}${path}`, origin === undefined ? {} : { origin })
        const allowed = origin !== undefined && CORS_ORIGINS.includes(origin)
        expect(answer.headers['access-control-allow-origin'], origin).toBe(allowed ? origin : undefined)
        expect(answer.headers['access-control-expose-headers']).toContain('ETag')
        expect(answer.headers.vary).toContain('Origin')
        expect(cacheStatus(answer), origin).toBe(round)
      }
    }
    const preflight = await get(`${proxy}${path}`, { origin: 'http://a.example', 'access-control-request-method': 'GET' }, 'OPTIONS')
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('http://a.example')
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD')
  })

  it('never stores a problem: each one reaches citeserve and says no-store', async () => {
    const cases: [string, Record<string, string>, string, number][] = [
      ['/works/no-such-work', {}, '/works/:id', 404],
      [`/works/${ID}`, { accept: 'image/png' }, '/works/:id', 406],
    ]
    for (const [path, headers, route, status] of cases) {
      const before = await answered(direct, route, status)
      for (let time = 0; time < 2; time++) {
        const answer = await get(`${proxy}${path}`, headers)
        expect(answer.status).toBe(status)
        expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8')
        expect(answer.headers['cache-control']).toBe('no-store')
        expect(cacheStatus(answer)).toBe('MISS')
      }
      expect(await answered(direct, route, status)).toBe(before + 2)
    }
  })

  it('never stores the health probes or the metrics', async () => {
    for (const route of ['/health/live', '/health/ready']) {
      const before = await answered(direct, route, 200)
      for (let time = 0; time < 2; time++) expect(cacheStatus(await get(`${proxy}${route}`))).toBe('MISS')
      expect(await answered(direct, route, 200)).toBe(before + 2)
    }
    const first = await get(`${proxy}/metrics`)
    const second = await get(`${proxy}/metrics`)
    expect([cacheStatus(first), cacheStatus(second)]).toEqual(['MISS', 'MISS'])
    expect(second.body.toString()).not.toBe(first.body.toString())
  })

  it('gives each answer from the cache a request id of its own, or the caller’s', async () => {
    const path = `/works/${ID}/citation?format=endnote`
    const first = await get(`${proxy}${path}`)
    const second = await get(`${proxy}${path}`)
    const traced = await get(`${proxy}${path}`, { 'x-request-id': 'trace-me-7' })
    expect([cacheStatus(first), cacheStatus(second), cacheStatus(traced)]).toEqual(['MISS', 'HIT', 'HIT'])
    expect(second.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/)
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id'])
    expect(traced.headers['x-request-id']).toBe('trace-me-7')
  })
})

describe('the nginx caching proxy after a catalogue reload', () => {
  const MAX_AGE = 1
  let directory: string
  let file: string
  let pair: Pair | undefined
  let direct: string
  let proxy: string

  beforeAll(async () => {
    expect(installed('nginx'), 'nginx is not installed (apt-get install nginx)').toBe(true)
    directory = await mkdtemp(join(tmpdir(), 'citeserve-proxy-reload-'))
    file = join(directory, 'works.json')
    await publish(file, JSON.stringify([{ ...seed, title: 'Old title' }, richItem]))
    pair = new Pair({ CACHE_MAX_AGE: String(MAX_AGE), DATA_FILE: file })
    proxy = await pair.start()
    direct = pair.direct
  }, STARTUP_MS)
  afterAll(async () => {
    await pair?.stop()
    await rm(directory, { recursive: true, force: true })
  })

  it('serves the new record once CACHE_MAX_AGE has passed, and revalidates the unchanged one with its ETag', async () => {
    const title = async (id: string) => {
      const answer = await get(`${proxy}/works/${id}`)
      expect(answer.headers['access-control-allow-origin']).toBe('*')
      return { title: (JSON.parse(answer.body.toString()) as { message: { title: string } }).message.title, status: cacheStatus(answer) }
    }
    expect(await title(ID)).toEqual({ title: 'Old title', status: 'MISS' })
    expect(await title(String(richItem.id))).toEqual({ title: richItem.title, status: 'MISS' })
    const reloads = async () =>
      (await get(`${direct}/metrics`)).body.toString().includes('citeserve_catalogue_reloads_total{result="success"} 1')
    await publish(file, JSON.stringify([{ ...seed, title: 'New title' }, richItem]))
    pair?.server.child.kill('SIGHUP')
    while (!(await reloads())) await new Promise((resolve) => setTimeout(resolve, 20))
    // nginx counts lifetimes on a clock of whole seconds, so an answer may live up to a second longer.
    await new Promise((resolve) => setTimeout(resolve, (MAX_AGE + 1) * 1000 + 100))
    const revalidated = await answered(direct, '/works/:id', 304)
    // EXPIRED: stored, stale, and fetched again whole; REVALIDATED: citeserve said 304 to nginx's If-None-Match.
    expect(await title(ID)).toEqual({ title: 'New title', status: 'EXPIRED' })
    expect(await title(String(richItem.id))).toEqual({ title: richItem.title, status: 'REVALIDATED' })
    expect(await answered(direct, '/works/:id', 304)).toBe(revalidated + 1)
  })
})
