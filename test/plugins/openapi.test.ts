import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { OPENAPI_FILE, servedOpenApi } from '../../scripts/export-openapi.js'
import { appWith, seed } from '../fixtures/works.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed)
})
afterAll(() => app.close())

describe('the OpenAPI document', () => {
  it('is served at /openapi.json as OpenAPI 3.1', async () => {
    const response = await app.inject('/openapi.json')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'citeserve' } })
  })

  it('documents every route the app serves', async () => {
    const document = (await app.inject('/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>()
    expect(Object.keys(document.paths).sort()).toEqual([
      '/',
      '/citations',
      '/health/live',
      '/health/ready',
      '/locales',
      '/metrics',
      '/oai',
      '/robots.txt',
      '/sitemap-{number}.xml',
      '/sitemap.xml',
      '/styles',
      '/widget.js',
      '/works',
      '/works/{id}',
      '/works/{id}/citation',
      '/works/{id}/widget',
    ])
  })

  it('matches the committed copy in openapi/ (run `npm run openapi` after changing a route)', async () => {
    expect(await readFile(OPENAPI_FILE, 'utf8')).toBe(await servedOpenApi())
  })

  it('comes with interactive docs at /docs', async () => {
    const response = await app.inject('/docs/')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/html/)
    expect(response.body).toContain('swagger-ui')
  })
})
