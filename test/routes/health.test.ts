import { describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { Readiness } from '../../src/readiness.js'
import { seed } from '../fixtures/works.js'

describe('health routes', () => {
  it('report live, and ready with the catalogue size once the server is ready', async () => {
    const readiness = new Readiness()
    const app = await testApp({ items: [seed], readiness })
    expect((await app.inject('/health/live')).json()).toEqual({ status: 'ok' })
    const starting = await app.inject('/health/ready')
    expect(starting.statusCode).toBe(503)
    expect(starting.json()).toEqual({ status: 'unavailable', state: 'starting' })
    readiness.ready()
    const ready = await app.inject('/health/ready')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ok', works: 1 })
    await app.close()
  })

  it('report not ready, with 503, once the process drains, while it is still live', async () => {
    const readiness = new Readiness('ready')
    const app = await testApp({ items: [seed], readiness })
    readiness.drain()
    const response = await app.inject('/health/ready')
    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ status: 'unavailable', state: 'draining' })
    expect((await app.inject('/health/live')).statusCode).toBe(200)
    await app.close()
  })

  it('are marked, as /metrics is, to stay out of the request log and of any rate limit', async () => {
    const app = await testApp({ items: [seed] })
    const configs = new Map<string, unknown>()
    app.addHook('onRequest', async (request) => {
      configs.set(request.url, request.routeOptions.config)
    })
    for (const url of ['/health/live', '/health/ready', '/metrics', '/works']) expect((await app.inject(url)).statusCode, url).toBe(200)
    for (const url of ['/health/live', '/health/ready', '/metrics']) {
      expect(configs.get(url), url).toMatchObject({ quietLog: true, rateLimit: false })
    }
    expect(configs.get('/works')).not.toHaveProperty('rateLimit')
    await app.close()
  })
})
