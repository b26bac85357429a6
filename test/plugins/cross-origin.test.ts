import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { loadConfig } from '../../src/config.js'
import { appWith, seed } from '../fixtures/works.js'

const SEED = '/works/interleukin-2-in-cancer-2005'
const EXPOSED = ['ETag', 'Link', 'Content-Disposition', 'X-Request-Id']
const RATE_LIMIT_EXPOSED = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After']

describe('CORS by default', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await appWith(seed)
  })
  afterAll(() => app.close())

  it('lets pages of any origin read responses, and the useful headers of them', async () => {
    for (const url of ['/works', SEED, `${SEED}/citation?format=ris`, '/works/no-such-work']) {
      const response = await app.inject({ url, headers: { origin: 'https://reader.example' } })
      expect(response.headers['access-control-allow-origin'], url).toBe('*')
      expect(String(response.headers['access-control-expose-headers']).split(', '), url).toEqual(EXPOSED)
      expect(response.headers.vary ?? '', url).not.toContain('Origin')
    }
  })

  it('answers a preflight for GET with the methods and headers allowed, cacheable for a day', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: SEED,
      headers: {
        origin: 'https://reader.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      },
    })
    expect(response.statusCode).toBe(204)
    expect(response.headers['access-control-allow-origin']).toBe('*')
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD')
    expect(response.headers['access-control-allow-headers']).toBe('Accept, If-None-Match, If-Modified-Since, X-Request-Id')
    expect(response.headers['access-control-max-age']).toBe('86400')
  })

  it('carries CORS headers on refusals too, so that pages can read why', async () => {
    const response = await app.inject({ method: 'PATCH', url: '/works', headers: { origin: 'https://reader.example' } })
    expect(response.statusCode).toBe(405)
    expect(response.headers['access-control-allow-origin']).toBe('*')
  })
})

describe('CORS with CORS_ORIGINS', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await testApp({ items: [seed], config: loadConfig({ CORS_ORIGINS: 'https://a.example,http://localhost:8080' }) })
  })
  afterAll(() => app.close())

  it('lets only the listed origins read responses, and says the answer varies by Origin', async () => {
    const listed = await app.inject({ url: SEED, headers: { origin: 'http://localhost:8080' } })
    expect(listed.headers['access-control-allow-origin']).toBe('http://localhost:8080')
    expect(listed.headers.vary).toContain('Origin')
    const other = await app.inject({ url: SEED, headers: { origin: 'https://evil.example' } })
    expect(other.statusCode).toBe(200)
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('gives preflights of other origins no permission', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: SEED,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    })
    expect(response.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('CORS with a rate limit', () => {
  it('also lets pages read the rate limit headers, which only a rate limit sends', async () => {
    const app = await testApp({ items: [seed], config: loadConfig({ RATE_LIMIT_MAX: '100' }) })
    const response = await app.inject({ url: SEED, headers: { origin: 'https://reader.example' } })
    expect(response.headers['ratelimit-limit']).toBe('100')
    expect(String(response.headers['access-control-expose-headers']).split(', ')).toEqual([...EXPOSED, ...RATE_LIMIT_EXPOSED])
    await app.close()
  })
})
