import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { loadConfig } from '../../src/config.js'
import { problemSchema } from '../../src/http/problem.js'
import { appWith, seed } from '../fixtures/works.js'

describe('rate limiting', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await testApp({ items: [seed], config: loadConfig({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60' }) })
  })
  afterAll(() => app.close())

  const from = (remoteAddress: string, url = '/works') => app.inject({ url, remoteAddress })

  it('tells each client where it stands, and answers 429 with Retry-After once it is over', async () => {
    const statuses = []
    for (let i = 0; i < 3; i++) {
      const response = await from('192.0.2.1')
      statuses.push(response.statusCode)
      expect(response.headers['ratelimit-limit']).toBe('3')
      expect(response.headers['ratelimit-remaining']).toBe(String(2 - i))
      expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThan(0)
    }
    expect(statuses).toEqual([200, 200, 200])
    const refused = await from('192.0.2.1')
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(refused.headers['cache-control']).toBe('no-store')
    const retryAfter = Number(refused.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    const body = problemSchema.parse(refused.json())
    expect(body).toMatchObject({ type: '/problems/too-many-requests', status: 429 })
    expect(body.detail).toMatch(/^A client may make 3 requests in 60 s; try again in \d+ s \(see Retry-After\)\.$/)
  })

  it('counts each client apart', async () => {
    expect((await from('192.0.2.2')).statusCode).toBe(200)
  })

  it('never counts or refuses the health probes and metrics scrapes', async () => {
    for (let i = 0; i < 5; i++) {
      for (const url of ['/health/ready', '/metrics']) {
        const response = await from('192.0.2.1', url)
        expect(response.statusCode, url).toBe(200)
        expect(response.headers['ratelimit-limit'], url).toBeUndefined()
      }
    }
  })
})

describe('without RATE_LIMIT_MAX', () => {
  it('does not limit at all, and sends no rate limit headers', async () => {
    const app = await appWith(seed)
    for (let i = 0; i < 20; i++) {
      const response = await app.inject('/works')
      expect(response.statusCode).toBe(200)
      expect(response.headers['ratelimit-limit']).toBeUndefined()
    }
    await app.close()
  })
})

describe('behind a proxy (TRUST_PROXY)', () => {
  it('counts clients by X-Forwarded-For', async () => {
    const app = await testApp({ items: [seed], config: loadConfig({ RATE_LIMIT_MAX: '1', TRUST_PROXY: '1' }) })
    const via = (client: string) => app.inject({ url: '/works', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client } })
    expect((await via('198.51.100.1')).statusCode).toBe(200)
    expect((await via('198.51.100.2')).statusCode).toBe(200)
    expect((await via('198.51.100.1')).statusCode).toBe(429)
    await app.close()
  })
})
