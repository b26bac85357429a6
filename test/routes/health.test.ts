import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { catalogueOf, seed } from '../fixtures/works.js'

describe('health routes', () => {
  it('report live and ready with the catalogue size', async () => {
    const app = await buildApp({ catalogue: catalogueOf(seed) })
    expect((await app.inject('/health/live')).json()).toEqual({ status: 'ok' })
    expect((await app.inject('/health/ready')).json()).toEqual({ status: 'ok', works: 1 })
    await app.close()
  })

  it('report not ready, with 503, when the process is shutting down', async () => {
    const app = await buildApp({ catalogue: catalogueOf(seed), isReady: () => false })
    const response = await app.inject('/health/ready')
    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ status: 'unavailable' })
    await app.close()
  })
})
