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
      '/pages/works/{id}',
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

describe('the /docs page', () => {
  it('is titled for citeserve and, without JavaScript, points to /openapi.json', async () => {
    for (const url of ['/docs', '/docs/']) {
      const response = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } })
      if (response.statusCode === 302) continue // /docs redirects to /docs/
      expect(response.statusCode).toBe(200)
      const { parse } = await import('parse5')
      const page = JSON.stringify(parse(response.body), (key, value: unknown) => (key === 'parentNode' ? undefined : value))
      expect(response.body).toMatch(/<title>citeserve API<\/title>/)
      expect(page).not.toContain('Swagger UI')
      expect(response.body).toMatch(/<noscript>[^]*<a href="\/openapi.json">/)
    }
    for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-initializer.js'])
      expect((await app.inject(`/docs/static/${asset}`)).statusCode, asset).toBe(200)
  })

  it('describes every format in the document', async () => {
    const { info } = (await app.inject('/openapi.json')).json<{ info: { description: string } }>()
    for (const name of ['BibTeX', 'BibLaTeX', 'RIS', 'EndNote', 'CSL-JSON', 'schema.org', 'bibliographies', 'in-text citations'])
      expect(info.description).toContain(name)
  })
})
