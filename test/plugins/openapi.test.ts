import { readFile } from 'node:fs/promises'
import { runInNewContext } from 'node:vm'
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

  /** What swagger-ui is started with when the initializer runs on a page at `pageUrl`, with a stand-in browser. */
  async function swaggerUiConfig(pageUrl: string): Promise<{ url: string }> {
    const script = (await app.inject('/docs/static/swagger-initializer.js')).body
    let config: { url: string } | undefined
    const anchor = () => {
      let resolved = ''
      return {
        set href(value: string) {
          resolved = new URL(value, pageUrl).href
        },
        get href() {
          return resolved
        },
      }
    }
    const window: { location: { href: string }; onload?: () => void } = { location: { href: pageUrl } }
    const document = { createElement: anchor, querySelector: () => ({}), body: {} }
    const SwaggerUIBundle = Object.assign((given: { url: string }) => (config = given), {
      presets: { apis: {} },
      plugins: { DownloadUrl: {} },
    })
    runInNewContext(script, { window, document, SwaggerUIBundle, SwaggerUIStandalonePreset: {}, MutationObserver: class {} })
    window.onload?.()
    if (config === undefined) throw new Error('the initializer did not start swagger-ui')
    return config
  }

  it('works whatever query its URL has: every asset and the document resolve from it', async () => {
    for (const path of ['/docs?x=/', '/docs/?x=1', '/docs?x=%2F..%2F', '/docs/?a=/b/c/']) {
      const pageUrl = `http://localhost${path}`
      const page = await app.inject(path)
      expect(page.statusCode, path).toBe(200)
      const references = [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1] as string)
      expect(references.length).toBeGreaterThan(3)
      for (const reference of references) {
        const url = new URL(reference, pageUrl)
        const asset = await app.inject(`${url.pathname}${url.search}`)
        expect(asset.statusCode, `${reference} from ${path}`).toBe(200)
        expect(asset.headers['content-type'], `${reference} from ${path}`).not.toMatch(/^text\/html/)
      }
      const { url } = await swaggerUiConfig(pageUrl)
      const document = await app.inject(new URL(url, pageUrl).pathname + new URL(url, pageUrl).search)
      expect(document.json(), path).toMatchObject({ openapi: '3.1.0' })
    }
  })

  it('sends /docs/static/index.html to the page in one hop, whatever its query', async () => {
    for (const path of ['/docs/static/index.html', '/docs/static/index.html?x=1', '/docs/static/index.html?a=/static/index.html']) {
      const first = await app.inject(path)
      expect(first.statusCode, path).toBe(302)
      const next = await app.inject(String(first.headers.location))
      expect(next.statusCode, path).toBe(200)
      expect(next.headers['content-type']).toMatch(/^text\/html/)
    }
  })

  it('describes every format in the document', async () => {
    const { info } = (await app.inject('/openapi.json')).json<{ info: { description: string } }>()
    for (const name of ['BibTeX', 'BibLaTeX', 'RIS', 'EndNote', 'CSL-JSON', 'schema.org', 'bibliographies', 'in-text citations'])
      expect(info.description).toContain(name)
  })
})
