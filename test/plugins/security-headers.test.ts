import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cspDirectives as directives } from '../fixtures/html.js'
import { securityHeaders } from '../../src/plugins/security-headers.js'
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

  it('are helmet’s own headers for these options, computed once and sent whole on every response', async () => {
    const headers = securityHeaders()
    expect(Object.isFrozen(headers)).toBe(true)
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(headers['content-security-policy']).toContain("default-src 'self'")
    expect(headers['strict-transport-security']).toBeUndefined()
    // With helmet's defaults, the policy upgrades insecure requests and HSTS is on: options are applied.
    expect(securityHeaders({})['content-security-policy']).toContain('upgrade-insecure-requests')
    expect(securityHeaders({})['strict-transport-security']).toMatch(/^max-age=\d+/)
    for (const url of ['/works', '/works/interleukin-2-in-cancer-2005/citation?format=bibtex', '/nowhere', '/docs/']) {
      const response = await app.inject(url)
      for (const [name, value] of Object.entries(headers)) expect(response.headers[name], `${url} ${name}`).toBe(value)
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
