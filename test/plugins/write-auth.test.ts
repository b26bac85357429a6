import { afterEach, describe, expect, it } from 'vitest'
import { problemSchema } from '../../src/http/problem.js'
import { WriteTokens } from '../../src/http/write-tokens.js'
import { AUTH, TOKEN, TOKENS_FILE_LINE, writeApp, type WriteApp } from '../fixtures/write-app.js'
import { seed } from '../fixtures/works.js'

const fish = { id: 'fish-2021', type: 'article-journal', title: 'Fish' }
const body = JSON.stringify(fish)

let current: WriteApp | undefined
async function open(options: Parameters<typeof writeApp>[1] = {}): Promise<WriteApp> {
  current = await writeApp([seed], options)
  return current
}
afterEach(async () => {
  await current?.app.close()
  current = undefined
})

const put = (app: WriteApp, headers: Record<string, string>) =>
  app.app.inject({ method: 'PUT', url: '/works/fish-2021', headers: { 'content-type': 'application/json', ...headers }, payload: body })

describe('authentication of writes', () => {
  it('answers a write without a token with 401 and WWW-Authenticate: Bearer, writing nothing', async () => {
    const app = await open()
    for (const headers of [{}, { authorization: 'Basic ZWRpdG9yOnNlY3JldA==' }] as Record<string, string>[]) {
      const response = await put(app, headers)
      expect(response.statusCode).toBe(401)
      expect(response.headers['www-authenticate']).toBe('Bearer realm="citeserve"')
      expect(problemSchema.parse(response.json()).type).toBe('/problems/unauthorized')
    }
    const deletion = await app.app.inject({ method: 'DELETE', url: `/works/${String(seed.id)}` })
    expect(deletion.statusCode).toBe(401)
    const post = await app.app.inject({
      method: 'POST',
      url: '/works',
      headers: { 'content-type': 'application/json' },
      payload: `[${body}]`,
    })
    expect(post.statusCode).toBe(401)
    expect(await app.store.find('fish-2021')).toBeUndefined()
    expect(await app.store.find(String(seed.id))).toBeDefined()
  })

  it('answers a wrong token with 401 and error="invalid_token"', async () => {
    const app = await open()
    const response = await put(app, { authorization: `Bearer ${TOKEN}x` })
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toBe('Bearer realm="citeserve", error="invalid_token"')
    expect(await app.store.find('fish-2021')).toBeUndefined()
  })

  it('with no tokens configured, refuses every write with 403 saying how to turn writes on', async () => {
    const app = await open({ tokens: WriteTokens.none })
    const response = await put(app, AUTH)
    expect(response.statusCode).toBe(403)
    const problem = problemSchema.parse(response.json())
    expect(problem.type).toBe('/problems/writes-disabled')
    expect(problem.detail).toContain('WRITE_TOKENS_FILE')
    expect(await app.store.find('fish-2021')).toBeUndefined()
  })

  it('refuses a client that failed WRITE_AUTH_FAILURES times with 429, even with the right token, until the window ends', async () => {
    const app = await open({ env: { WRITE_AUTH_FAILURES: '3', RATE_LIMIT_WINDOW: '60' } })
    // Successes are not counted against the client.
    for (let i = 0; i < 5; i++) expect((await put(app, AUTH)).statusCode).toBeLessThan(300)
    for (let i = 0; i < 3; i++) expect((await put(app, { authorization: `Bearer wrong-${i}` })).statusCode).toBe(401)
    for (const headers of [{ authorization: 'Bearer wrong-again' }, AUTH]) {
      const response = await put(app, headers)
      expect(response.statusCode).toBe(429)
      expect(problemSchema.parse(response.json()).type).toBe('/problems/too-many-requests')
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0)
    }
    // Another client is not held back by this one's failures; reads are not either.
    const other = await app.app.inject({
      method: 'PUT',
      url: '/works/fish-2021',
      remoteAddress: '10.0.0.9',
      headers: { 'content-type': 'application/json', ...AUTH },
      payload: body,
    })
    expect(other.statusCode).toBe(200)
    expect((await app.app.inject('/works/fish-2021')).statusCode).not.toBe(429)
  })

  it('counts failures with the general rate limit on too', async () => {
    const app = await open({ env: { WRITE_AUTH_FAILURES: '1', RATE_LIMIT_MAX: '100' } })
    expect((await put(app, {})).statusCode).toBe(401)
    expect((await put(app, AUTH)).statusCode).toBe(429)
  })
})

describe('the log of writes', () => {
  it('has one line per write with the token’s name, the method, the works and the outcomes, and never a token', async () => {
    const app = await open()
    await put(app, AUTH)
    await put(app, { ...AUTH, 'if-none-match': '*' })
    await put(app, { authorization: `Bearer ${TOKEN}-guess` })
    await app.app.inject({ method: 'DELETE', url: '/works/fish-2021', headers: AUTH })
    const invalid = JSON.stringify([fish, { id: 'bad', type: 'book', title: 1 }])
    await app.app.inject({ method: 'POST', url: '/works', headers: { ...AUTH, 'content-type': 'application/json' }, payload: invalid })
    expect(app.writes().map(({ tokenName, method, status, works }) => ({ tokenName, method, status, works }))).toEqual([
      { tokenName: 'editor', method: 'PUT', status: 201, works: [{ id: 'fish-2021', outcome: 'created' }] },
      { tokenName: 'editor', method: 'PUT', status: 412, works: [{ id: 'fish-2021', outcome: 'precondition-failed' }] },
      { tokenName: null, method: 'PUT', status: 401, works: [{ id: 'fish-2021', outcome: 'unauthorized' }] },
      { tokenName: 'editor', method: 'DELETE', status: 204, works: [{ id: 'fish-2021', outcome: 'deleted' }] },
      {
        tokenName: 'editor',
        method: 'POST',
        status: 422,
        works: [
          { id: 'fish-2021', outcome: 'invalid-record' },
          { id: 'bad', outcome: 'invalid-record' },
        ],
      },
    ])
    expect(app.log.length).toBeGreaterThan(5)
    const digest = TOKENS_FILE_LINE.split(' ')[1] as string
    for (const line of app.log) {
      expect(line).not.toContain(TOKEN)
      expect(line).not.toContain(digest)
      expect(line.toLowerCase()).not.toContain('bearer')
    }
  })
})

describe('writes from browsers', () => {
  const preflight = (app: WriteApp, origin: string, method: string) =>
    app.app.inject({
      method: 'OPTIONS',
      url: '/works/fish-2021',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
    })

  it('are not allowed without WRITE_CORS_ORIGINS: the preflight offers reads only, and a write with Origin is refused', async () => {
    const app = await open()
    const response = await preflight(app, 'https://editor.example', 'PUT')
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD')
    expect(response.headers['access-control-allow-headers']).not.toMatch(/authorization/i)
    const write = await put(app, { ...AUTH, origin: 'https://editor.example' })
    expect(write.statusCode).toBe(403)
    expect(problemSchema.parse(write.json()).type).toBe('/problems/origin-not-allowed')
    expect(await app.store.find('fish-2021')).toBeUndefined()
  })

  it('are allowed from the origins WRITE_CORS_ORIGINS names, and from those only', async () => {
    const app = await open({ env: { WRITE_CORS_ORIGINS: 'https://editor.example' } })
    const allowed = await preflight(app, 'https://editor.example', 'PUT')
    expect(allowed.statusCode).toBe(204)
    expect(allowed.headers['access-control-allow-origin']).toBe('https://editor.example')
    expect(allowed.headers['access-control-allow-methods']).toContain('PUT')
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/)
    const other = await preflight(app, 'https://elsewhere.example', 'PUT')
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
    // Reads keep their own CORS: any origin.
    const read = await app.app.inject({ url: `/works/${String(seed.id)}`, headers: { origin: 'https://elsewhere.example' } })
    expect(read.headers['access-control-allow-origin']).toBe('*')

    const write = await put(app, { ...AUTH, origin: 'https://editor.example' })
    expect(write.statusCode).toBe(201)
    expect(write.headers['access-control-allow-origin']).toBe('https://editor.example')
    expect(write.headers['access-control-expose-headers']).toMatch(/Location/)
    expect((await put(app, { ...AUTH, origin: 'https://elsewhere.example' })).statusCode).toBe(403)
  })
})
