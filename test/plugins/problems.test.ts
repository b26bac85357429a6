import { describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { seed } from '../fixtures/works.js'

describe('problem handlers', () => {
  it('answer an unexpected failure with a generic 500 and the request id, never a stack or a path', async () => {
    const app = await testApp({ items: [seed] })
    app.get('/explode', async () => {
      throw new Error(`secret failure in ${import.meta.url}`)
    })
    const response = await app.inject({ url: '/explode', headers: { 'x-request-id': 'trace-123' } })
    expect(response.statusCode).toBe(500)
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(response.json()).toEqual({
      type: '/problems/internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'The server could not answer this request. Quote request id trace-123 when reporting it.',
      instance: '/explode',
      requestId: 'trace-123',
    })
    expect(response.body).not.toMatch(/secret|file:|\.ts|at /)
    await app.close()
  })

  it('turn Fastify’s own client errors into problems', async () => {
    const app = await testApp({ items: [seed] })
    const response = await app.inject('/works/%E0%A4%A')
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(response.json()).toMatchObject({ type: '/problems/http-error', status: 400 })
    await app.close()
  })
})
