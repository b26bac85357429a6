import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { frontedServer, replayFront } from '../../src/http/replay-front.js'
import { ReplayStore } from '../../src/http/replay-store.js'
import { Metrics } from '../../src/metrics.js'
import { loggedApp, renderLookups, type LoggedApp } from '../fixtures/logged-app.js'
import { richItem, seed } from '../fixtures/works.js'

const WORK = `/works/${seed.id}`
const BIBTEX = `${WORK}/citation?format=bibtex`
const PER_REQUEST = ['x-request-id', 'date', 'connection', 'keep-alive', 'ratelimit-remaining', 'ratelimit-reset']

interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

/** The headers of an answer that must be the same however often it is given. */
function lasting({ headers }: Answer): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_REQUEST.includes(name)))
}

/** The real app on a port, and a client on one kept-alive connection. */
interface Served extends LoggedApp {
  readonly ask: (path: string, headers?: Record<string, string>, method?: string) => Promise<Answer>
  readonly close: () => Promise<void>
}

let nextCatalogue: CslItem[] = [seed, richItem]

/** A client of the server on `port`, on one kept-alive connection (replays follow one another on it as a client's would). */
function client(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const ask = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<Answer>((resolve, reject) => {
      const sent = httpRequest({ host: '127.0.0.1', port, path, method, headers, agent }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }))
      })
      sent.on('error', reject)
      sent.end()
    })
  return { ask, agent }
}

async function serve(env: Record<string, string> = {}): Promise<Served> {
  const f = await loggedApp([seed, richItem], () => nextCatalogue, env)
  await f.app.listen({ host: '127.0.0.1', port: 0 })
  const { ask, agent } = client((f.app.server.address() as AddressInfo).port)
  return {
    ...f,
    ask,
    close: async () => {
      agent.destroy()
      await f.app.close()
    },
  }
}

describe('a fronted server', () => {
  it('is set up as Fastify sets up its own, and gives the front each request first, the handler only what the front leaves', async () => {
    const store = new ReplayStore(10, () => 1)
    const headers = { 'content-type': 'text/plain; charset=utf-8', etag: '"kept"', 'last-modified': new Date(0).toUTCString() }
    store.keep('/kept', {}, 1, { route: '/kept', headers, body: 'kept answer', etag: '"kept"', lastModified: new Date(0) })
    let passOn = false
    const handled: string[] = []
    const front = replayFront({ store, passOn: () => passOn, metrics: new Metrics() })
    const server = frontedServer(
      front,
      (request, response) => {
        handled.push(`${request.method} ${request.url}`)
        response.end('from the handler')
      },
      { http: { maxHeaderSize: 9000 }, keepAliveTimeout: 1234, requestTimeout: 5678, connectionTimeout: 4321 },
    )
    expect([server.keepAliveTimeout, server.requestTimeout, server.timeout]).toEqual([1234, 5678, 4321])
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { ask, agent } = client((server.address() as AddressInfo).port)
    try {
      const kept = await ask('/kept')
      expect([kept.status, kept.body.toString(), kept.headers.etag, kept.headers['content-length']]).toEqual([
        200,
        'kept answer',
        '"kept"',
        '11',
      ])
      expect((await ask('/kept', { 'if-none-match': '"kept"' })).status).toBe(304)
      expect((await ask('/other')).body.toString()).toBe('from the handler')
      expect((await ask('/kept', {}, 'DELETE')).body.toString()).toBe('from the handler')
      expect((await ask('/kept', { 'transfer-encoding': 'chunked' })).body.toString()).toBe('from the handler')
      passOn = true
      expect((await ask('/kept')).body.toString()).toBe('from the handler')
      expect(handled).toEqual(['GET /other', 'DELETE /kept', 'GET /kept', 'GET /kept'])
      // The HTTP options reach Node's parser: 10,000 bytes of header exceed the 9,000 allowed.
      await expect(ask('/kept', { 'x-long': 'x'.repeat(10_000) })).resolves.toMatchObject({ status: 431 })
    } finally {
      agent.destroy()
      server.close()
    }
  })
})

describe('the replay front', () => {
  let s: Served
  beforeAll(async () => {
    s = await serve()
  })
  afterAll(() => s.close())

  it('gives the answer again without running the route, the same bytes and headers, with a request id of its own', async () => {
    const cases: { url: string; headers: Record<string, string> }[] = [
      { url: BIBTEX, headers: {} },
      { url: WORK, headers: { accept: 'application/x-research-info-systems' } },
      { url: WORK, headers: { accept: 'text/x-bibliography; style=apa', origin: 'https://example.org' } },
      { url: WORK, headers: { 'accept-encoding': 'br' } },
      { url: `/works/${encodeURIComponent(richItem.DOI as string)}`, headers: {} },
    ]
    for (const { url, headers } of cases) {
      const first = await s.ask(url, headers)
      const lookups = renderLookups(s)
      const again = await s.ask(url, headers)
      const third = await s.ask(url, { ...headers, 'x-request-id': 'mine-1' })
      expect(renderLookups(s), url).toBe(lookups)
      expect(first.status, url).toBe(200)
      for (const replayed of [again, third]) {
        expect(replayed.status).toBe(200)
        expect(replayed.body.equals(first.body), url).toBe(true)
        expect(lasting(replayed), url).toEqual(lasting(first))
      }
      expect(again.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
      expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id'])
      expect(third.headers['x-request-id']).toBe('mine-1')
    }
  })

  it('keeps answers apart by URL and by each header they vary on', async () => {
    const variants: { url: string; headers: Record<string, string> }[] = [
      { url: WORK, headers: {} },
      { url: WORK, headers: { accept: 'application/x-bibtex' } },
      { url: WORK, headers: { accept: 'application/x-bibtex', 'accept-encoding': 'gzip' } },
      { url: `${WORK}/citation?format=ris`, headers: {} },
    ]
    const replayed = []
    for (const { url, headers } of variants) {
      const first = await s.ask(url, headers)
      const again = await s.ask(url, headers)
      expect(again.body.equals(first.body)).toBe(true)
      replayed.push(
        `${String(again.headers['content-type'])} ${String(again.headers['content-encoding'])} ${again.body.toString('base64')}`,
      )
    }
    expect(new Set(replayed).size).toBe(variants.length)
  })

  it('answers 304 to conditional requests as Fastify does, and HEAD without a body', async () => {
    const first = await s.ask(BIBTEX)
    const { etag, 'last-modified': lastModified } = first.headers
    const unchanged = await s.ask(BIBTEX, { 'if-none-match': String(etag) })
    expect(unchanged.status).toBe(304)
    expect(unchanged.body.length).toBe(0)
    expect(unchanged.headers['content-type']).toBeUndefined()
    expect(unchanged.headers['content-disposition']).toBeUndefined()
    expect(unchanged.headers.etag).toBe(etag)
    expect(unchanged.headers['cache-control']).toBe(first.headers['cache-control'])
    expect((await s.ask(BIBTEX, { 'if-modified-since': String(lastModified) })).status).toBe(304)
    const other = await s.ask(BIBTEX, { 'if-none-match': '"another"' })
    expect(other.status).toBe(200)
    expect(other.body.equals(first.body)).toBe(true)
    const head = await s.ask(BIBTEX, {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
    expect(head.headers['content-length']).toBe(String(first.body.length))
    expect(head.headers.etag).toBe(etag)
    const headUnchanged = await s.ask(BIBTEX, { 'if-none-match': String(etag) }, 'HEAD')
    expect(headUnchanged.status).toBe(304)
    expect(headUnchanged.headers['content-length']).toBe(String(first.body.length))
    expect(headUnchanged.headers['content-type']).toBeUndefined()
    expect(unchanged.headers['content-length']).toBeUndefined()
  })

  it('writes the log line and counts the metrics of every replayed request, as Fastify does', async () => {
    const url = `${WORK}/citation?format=csl-json`
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await s.ask(url))
    const logged = s.lines.filter((line) => line.msg === 'request completed' && line.url === url)
    expect(logged.map((line) => [line.reqId, line.method, line.status, line.route])).toEqual(
      answers.map((answer) => [answer.headers['x-request-id'], 'GET', 200, '/works/:id/citation']),
    )
    for (const line of logged) expect(line.durationMs).toEqual(expect.any(Number))
    const metrics = (await s.ask('/metrics')).body.toString()
    expect(metrics).toMatch(/citeserve_http_requests_total\{route="\/works\/:id\/citation",method="GET",status="200"\} ([3-9]|\d\d+)/)
  })

  it('leaves Fastify what the API refuses or has not answered yet', async () => {
    await s.ask(BIBTEX)
    const withContent = await s.ask(BIBTEX, { 'transfer-encoding': 'chunked' })
    expect(withContent.status).toBe(413)
    const deleted = await s.ask(BIBTEX, {}, 'DELETE')
    const unknownStyle = await s.ask(`${WORK}/citation?format=bibliography&style=no-such-style`)
    expect([withContent.status, deleted.status, unknownStyle.status]).toEqual([413, 405, 400])
    expect(String(deleted.headers.allow)).toBe('GET, HEAD, OPTIONS')
  })
})

describe('the replay front, while the process changes', () => {
  let s: Served
  beforeAll(async () => {
    s = await serve()
  })
  afterAll(() => s.close())
  afterEach(() => {
    nextCatalogue = [seed, richItem]
  })

  it('never gives an answer of a catalogue that has been replaced', async () => {
    const before = await s.ask(BIBTEX)
    await s.ask(BIBTEX)
    nextCatalogue = [{ ...seed, title: 'A title after the reload' }]
    expect((await s.live.reload()).ok).toBe(true)
    const after = await s.ask(BIBTEX)
    expect(after.body.toString()).toContain('A title after the reload')
    expect(after.body.equals(before.body)).toBe(false)
    expect((await s.ask(BIBTEX)).body.equals(after.body)).toBe(true)
  })

  it('passes requests to Fastify while draining, which tells the client to close its connection', async () => {
    await s.ask(BIBTEX)
    s.readiness.drain()
    const answer = await s.ask(BIBTEX)
    expect(answer.status).toBe(200)
    expect(answer.headers.connection).toBe('close')
  })
})

describe('the replay front under a rate limit', () => {
  let s: Served
  beforeAll(async () => {
    s = await serve({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60' })
  })
  afterAll(() => s.close())

  it('passes every request to Fastify, where the limit counts it, replayed or not', async () => {
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await s.ask(BIBTEX))
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429])
    expect(answers.map((answer) => answer.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0'])
  })
})
