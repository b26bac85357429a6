import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cspDirectives as directives } from '../fixtures/html.js'
import { API_SECURITY_HEADERS, DOCUMENT_SECURITY_HEADERS, securityHeaders } from '../../src/plugins/security-headers.js'
import { appWith, seed } from '../fixtures/works.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed)
})
afterAll(() => app.close())

/** Headers that only govern HTML documents: pages send them, API answers do not. */
const DOCUMENT_ONLY = [
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-xss-protection',
]

describe('security headers', () => {
  it('are sent on API responses, errors included: a policy that allows nothing, nosniff, no framing, no X-Powered-By or HSTS', async () => {
    for (const url of [
      '/works',
      '/works/interleukin-2-in-cancer-2005',
      '/works/interleukin-2-in-cancer-2005/citation?format=ris',
      '/nowhere',
    ]) {
      const response = await app.inject(url)
      const policy = directives(String(response.headers['content-security-policy']))
      expect([...policy.keys()], url).toEqual(['default-src', 'frame-ancestors'])
      expect(policy.get('default-src'), url).toEqual(["'none'"])
      expect(policy.get('frame-ancestors'), url).toEqual(["'none'"])
      expect(response.headers['x-content-type-options'], url).toBe('nosniff')
      expect(response.headers['x-frame-options'], url).toBe('DENY')
      expect(response.headers['cross-origin-resource-policy'], url).toBe('cross-origin')
      expect(response.headers['x-powered-by'], url).toBeUndefined()
      expect(response.headers['strict-transport-security'], url).toBeUndefined()
      for (const name of DOCUMENT_ONLY) expect(response.headers[name], `${url} ${name}`).toBeUndefined()
    }
  })

  it('are helmet’s own headers for these options, computed once and sent whole on every response of their kind', async () => {
    for (const headers of [API_SECURITY_HEADERS, DOCUMENT_SECURITY_HEADERS]) {
      expect(Object.isFrozen(headers)).toBe(true)
      expect(headers['x-content-type-options']).toBe('nosniff')
      expect(headers['strict-transport-security']).toBeUndefined()
    }
    expect(DOCUMENT_SECURITY_HEADERS['content-security-policy']).toContain("default-src 'self'")
    // With helmet's defaults, the policy upgrades insecure requests and HSTS is on: options are applied.
    expect(securityHeaders({})['content-security-policy']).toContain('upgrade-insecure-requests')
    expect(securityHeaders({})['strict-transport-security']).toMatch(/^max-age=\d+/)
    const kinds = [
      {
        headers: API_SECURITY_HEADERS,
        urls: ['/works', '/works/interleukin-2-in-cancer-2005/citation?format=bibtex', '/nowhere', '/openapi.json'],
      },
      { headers: DOCUMENT_SECURITY_HEADERS, urls: ['/docs/'] },
    ]
    for (const { headers, urls } of kinds) {
      for (const url of urls) {
        const response = await app.inject(url)
        for (const [name, value] of Object.entries(headers)) expect(response.headers[name], `${url} ${name}`).toBe(value)
      }
    }
  })

  it('of documents are sent on the pages, with the pages’ own policy', async () => {
    const page = await app.inject({ url: '/pages/works/interleukin-2-in-cancer-2005', headers: { accept: 'text/html' } })
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    for (const name of DOCUMENT_ONLY) expect(page.headers[name], name).toBe(DOCUMENT_SECURITY_HEADERS[name])
    expect(page.headers['content-security-policy']).not.toBe(DOCUMENT_SECURITY_HEADERS['content-security-policy'])
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
