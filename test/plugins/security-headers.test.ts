import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cspDirectives as directives } from '../fixtures/html.js'
import { appWith, seed } from '../fixtures/works.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed)
})
afterAll(() => app.close())

describe('security headers', () => {
  it('are sent on API responses, errors included, without X-Powered-By or HSTS', async () => {
    for (const url of ['/works', '/works/interleukin-2-in-cancer-2005', '/nowhere']) {
      const response = await app.inject(url)
      expect(response.headers['x-content-type-options'], url).toBe('nosniff')
      expect(response.headers['x-frame-options'], url).toBe('SAMEORIGIN')
      expect(response.headers['referrer-policy'], url).toBe('no-referrer')
      expect(response.headers['cross-origin-resource-policy'], url).toBe('cross-origin')
      expect(response.headers['x-powered-by'], url).toBeUndefined()
      expect(response.headers['strict-transport-security'], url).toBeUndefined()
    }
  })

  it('let the docs page load its own scripts and styles, and nothing else', async () => {
    const page = await app.inject('/docs/')
    const policy = directives(String(page.headers['content-security-policy']))
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('default-src')).toEqual(["'self'"])
    expect(policy.get('style-src')).toContain("'unsafe-inline'")
    expect(policy.get('object-src')).toEqual(["'none'"])
    expect(policy.has('upgrade-insecure-requests')).toBe(false)
    // Every script and stylesheet of the page is same-origin, and is served.
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((match) => match[1] as string)
    expect(assets.length).toBeGreaterThanOrEqual(4)
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/)
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\.?\/?[\w./-]+$/)
      const response = await app.inject(new URL(asset, 'http://localhost/docs/').pathname)
      expect(response.statusCode, asset).toBe(200)
    }
  })
})
