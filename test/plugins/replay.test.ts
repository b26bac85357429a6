import type { LightMyRequestResponse } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { loggedApp, renderLookups, type LoggedApp } from '../fixtures/logged-app.js'
import { richItem, seed } from '../fixtures/works.js'

const WORK = `/works/${seed.id}`
const BIBTEX = `${WORK}/citation?format=bibtex`
const PER_REQUEST = ['x-request-id', 'date', 'ratelimit-remaining', 'ratelimit-reset']

/** The headers of an answer that must be the same however often it is given. */
function lasting(response: LightMyRequestResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response.headers).filter(([name]) => !PER_REQUEST.includes(name)))
}

let nextCatalogue: CslItem[] = [seed, richItem]

async function fixture(env: Record<string, string> = {}): Promise<LoggedApp> {
  const f = await loggedApp([seed, richItem], () => nextCatalogue, env)
  await f.app.ready()
  return f
}

describe('replaying repeated requests', () => {
  let f: LoggedApp
  beforeAll(async () => {
    f = await fixture()
  })
  afterAll(() => f.app.close())

  it('gives the same answer again without running the route, with a request id of its own', async () => {
    const cases = [
      { url: BIBTEX, headers: {} },
      { url: WORK, headers: { accept: 'application/x-research-info-systems' } },
      { url: WORK, headers: { accept: 'text/x-bibliography; style=apa', origin: 'https://example.org' } },
      { url: WORK, headers: { 'accept-encoding': 'br' } },
    ]
    for (const { url, headers } of cases) {
      const first = await f.app.inject({ url, headers })
      const before = renderLookups(f)
      const again = await f.app.inject({ url, headers })
      const third = await f.app.inject({ url, headers: { ...headers, 'x-request-id': 'mine-1' } })
      expect(renderLookups(f), url).toBe(before)
      expect(first.statusCode).toBe(200)
      for (const replayed of [again, third]) {
        expect(replayed.statusCode).toBe(200)
        expect(replayed.rawPayload.equals(first.rawPayload)).toBe(true)
        expect(lasting(replayed)).toEqual(lasting(first))
      }
      expect(again.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
      expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id'])
      expect(third.headers['x-request-id']).toBe('mine-1')
    }
  })

  it('keeps answers apart by URL and by each header they vary on', async () => {
    const bodies = await Promise.all(
      [
        { url: WORK, headers: {} },
        { url: WORK, headers: { accept: 'application/x-bibtex' } },
        { url: WORK, headers: { accept: 'application/x-bibtex', 'accept-encoding': 'gzip' } },
        { url: `${WORK}/citation?format=ris`, headers: {} },
      ].map(async ({ url, headers }) => {
        await f.app.inject({ url, headers })
        const again = await f.app.inject({ url, headers })
        return `${String(again.headers['content-type'])} ${String(again.headers['content-encoding'])} ${again.body}`
      }),
    )
    expect(new Set(bodies).size).toBe(bodies.length)
    const origin = await f.app.inject({ url: WORK, headers: { origin: 'https://a.example' } })
    expect(origin.headers['access-control-allow-origin']).toBe('*')
  })

  it('writes a log line and counts the metrics of every replayed request', async () => {
    const url = `${WORK}/citation?format=csl-json`
    for (let i = 0; i < 3; i++) expect((await f.app.inject(url)).statusCode).toBe(200)
    const logged = f.lines.filter((line) => line.msg === 'request completed' && line.url === url)
    expect(logged.map((line) => [line.status, line.route])).toEqual(Array(3).fill([200, '/works/:id/citation']))
    const metrics = (await f.app.inject('/metrics')).body
    expect(metrics).toMatch(/citeserve_http_requests_total\{route="\/works\/:id\/citation",method="GET",status="200"\} ([4-9]|\d\d+)/)
  })

  it('answers 304 to conditional requests from the stored validators, and HEAD without a body', async () => {
    const first = await f.app.inject(BIBTEX)
    const { etag, 'last-modified': lastModified } = first.headers
    const unchanged = await f.app.inject({ url: BIBTEX, headers: { 'if-none-match': String(etag) } })
    expect(unchanged.statusCode).toBe(304)
    expect(unchanged.body).toBe('')
    expect(unchanged.headers['content-type']).toBeUndefined()
    expect(unchanged.headers.etag).toBe(etag)
    const since = await f.app.inject({ url: BIBTEX, headers: { 'if-modified-since': String(lastModified) } })
    expect(since.statusCode).toBe(304)
    const other = await f.app.inject({ url: BIBTEX, headers: { 'if-none-match': '"another"' } })
    expect(other.statusCode).toBe(200)
    expect(other.body).toBe(first.body)

    const head = await f.app.inject({ method: 'HEAD', url: BIBTEX })
    expect(head.statusCode).toBe(200)
    expect(head.body).toBe('')
    expect(head.headers['content-length']).toBe(String(first.rawPayload.length))
    expect(head.headers.etag).toBe(etag)
    const headUnchanged = await f.app.inject({ method: 'HEAD', url: BIBTEX, headers: { 'if-none-match': String(etag) } })
    expect(headUnchanged.statusCode).toBe(304)
    expect(headUnchanged.body).toBe('')
    // The length of the 200's content (RFC 9110 §8.6), and no Content-Type of Fastify's own making.
    expect(headUnchanged.headers['content-length']).toBe(String(first.rawPayload.length))
    expect(headUnchanged.headers['content-type']).toBeUndefined()
    expect(unchanged.headers['content-length']).toBeUndefined()
  })

  it('never keeps errors: a problem names the request id of its own request', async () => {
    const ask = () => f.app.inject({ url: WORK, headers: { accept: 'application/x-nothing' } })
    for (const refused of [await ask(), await ask()]) {
      expect(refused.statusCode).toBe(406)
      expect(refused.json()).toMatchObject({ requestId: refused.headers['x-request-id'] })
    }
  })

  it('tells the client to close its connection while draining', async () => {
    await f.app.inject(BIBTEX)
    f.readiness.drain()
    const replayed = await f.app.inject(BIBTEX)
    expect(replayed.statusCode).toBe(200)
    expect(replayed.headers.connection).toBe('close')
  })
})

describe('replaying across reloads', () => {
  let f: LoggedApp
  beforeAll(async () => {
    f = await fixture()
  })
  afterAll(() => f.app.close())
  afterEach(() => {
    nextCatalogue = [seed, richItem]
  })

  it('never gives an answer of a catalogue that has been replaced', async () => {
    const before = await f.app.inject(BIBTEX)
    await f.app.inject(BIBTEX)
    nextCatalogue = [{ ...seed, title: 'A title after the reload' }]
    expect((await f.live.reload()).ok).toBe(true)
    const after = await f.app.inject(BIBTEX)
    expect(after.body).toContain('A title after the reload')
    expect(after.body).not.toBe(before.body)
    expect((await f.app.inject(BIBTEX)).body).toBe(after.body)
  })
})

describe('replaying and the rate limit', () => {
  let f: LoggedApp
  beforeAll(async () => {
    f = await fixture({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60' })
  })
  afterAll(() => f.app.close())

  it('counts replayed requests against the limit, and never keeps the refusal', async () => {
    const from = (remoteAddress: string) => f.app.inject({ url: BIBTEX, remoteAddress })
    const answers = [await from('192.0.2.1'), await from('192.0.2.1'), await from('192.0.2.1'), await from('192.0.2.1')]
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429])
    expect(answers.map((answer) => answer.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0'])
    expect((await from('192.0.2.2')).statusCode).toBe(200)
  })
})
