import type { FastifyInstance } from 'fastify'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { FileStore } from '../../src/catalogue/file-store.js'
import type { CatalogueStore } from '../../src/catalogue/store.js'
import { loadConfig } from '../../src/config.js'
import { entityTag } from '../../src/http/conditional.js'
import { appWith, richItem, seed } from '../fixtures/works.js'

const SEED = '/works/interleukin-2-in-cancer-2005'
let app: FastifyInstance

beforeAll(async () => {
  app = await appWith(seed, richItem)
})
afterAll(() => app.close())

describe('validators', () => {
  it('give every GET a strong ETag and a public Cache-Control, and what comes from the catalogue Last-Modified', async () => {
    for (const url of ['/works', SEED, `${SEED}/citation?format=ris`, '/openapi.json']) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBe(200)
      expect(response.headers.etag, url).toMatch(/^"[\w-]+"$/)
      expect(response.headers['cache-control'], url).toBe('public, max-age=300')
      if (url === '/openapi.json') expect(response.headers['last-modified'], url).toBeUndefined()
      else expect(new Date(response.headers['last-modified'] as string).getTime(), url).toBeGreaterThan(0)
    }
  })

  it('give equal representations equal tags and different ones different tags', async () => {
    const tagOf = async (accept: string) => (await app.inject({ url: SEED, headers: { accept } })).headers.etag
    expect(await tagOf('application/x-bibtex')).toBe(await tagOf('application/x-bibtex'))
    expect(await tagOf('application/x-bibtex')).not.toBe(await tagOf('application/x-research-info-systems'))
  })

  it('tag a rendering by its own bytes and media type, however often it is served from the cache', async () => {
    const url = `${SEED}/citation?format=ris`
    const first = await app.inject(url)
    const again = await app.inject(url)
    expect(first.headers.etag).toBe(entityTag(String(first.headers['content-type']), first.body))
    expect(again.headers.etag).toBe(first.headers.etag)
    // The coded representations' tags derive from the identity tag that the rendering carries.
    const br = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.etag).toBe(entityTag(String(first.headers['content-type']), first.body, 'br'))
  })

  it('date a response by the data its body was built from, not by the catalogue at send time', async () => {
    const store = await FileStore.fromItems([seed], new Date('2024-03-01T12:34:56.789Z'))
    // The work changes while the request that found it is still running.
    const racing: CatalogueStore = Object.assign(Object.create(store) as CatalogueStore, {
      find: async (id: string) => {
        const found = await store.find(id)
        await store.write([{ kind: 'put', item: { ...seed, title: 'Changed meanwhile' } }])
        return found
      },
    })
    const dated = await testApp({ store: racing })
    const response = await dated.inject(`${SEED}/citation?format=csl-json`)
    await dated.close()
    expect(JSON.parse(response.body)).toMatchObject([{ title: seed.title }])
    expect(response.headers['last-modified']).toBe('Fri, 01 Mar 2024 12:34:56 GMT')
    expect((await store.state()).modified.getTime()).toBeGreaterThan(Date.parse('2024-03-01T12:34:57Z'))
  })

  it('date a work by its own time of change, and a list by the catalogue’s', async () => {
    const store = await FileStore.fromItems([seed, richItem], new Date('2024-03-01T12:34:56.789Z'))
    const dated = await testApp({ store })
    await store.write([{ kind: 'put', item: { ...richItem, title: 'Changed' } }])
    const changedAt = (await store.state()).modified
    expect(changedAt.getTime()).toBeGreaterThan(Date.parse('2024-03-01T12:34:57Z'))
    expect((await dated.inject(SEED)).headers['last-modified']).toBe('Fri, 01 Mar 2024 12:34:56 GMT')
    expect((await dated.inject(`${SEED}/citation?format=ris`)).headers['last-modified']).toBe('Fri, 01 Mar 2024 12:34:56 GMT')
    for (const url of [`/works/${richItem.id}`, '/works', '/citations?format=ris', '/sitemap.xml']) {
      expect((await dated.inject(url)).headers['last-modified'], url).toBe(
        new Date(Math.floor(changedAt.getTime() / 1000) * 1000).toUTCString(),
      )
    }
    await dated.close()
  })
})

describe('conditional requests', () => {
  it('answer a matching If-None-Match with 304, keeping ETag, Vary and Cache-Control, without content', async () => {
    const first = await app.inject({ url: SEED, headers: { accept: 'application/x-bibtex' } })
    const again = await app.inject({
      url: SEED,
      headers: { accept: 'application/x-bibtex', 'if-none-match': first.headers.etag as string },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
    expect(again.headers['content-length']).toBeUndefined()
    expect(again.headers.etag).toBe(first.headers.etag)
    expect(again.headers.vary).toBe(first.headers.vary)
    expect(again.headers['cache-control']).toBe('public, max-age=300')
    expect(again.headers['last-modified']).toBe(first.headers['last-modified'])
  })

  it('answer 200 when the tag is stale, or belongs to another representation', async () => {
    const bibtex = await app.inject({ url: SEED, headers: { accept: 'application/x-bibtex' } })
    const ris = await app.inject({
      url: SEED,
      headers: { accept: 'application/x-research-info-systems', 'if-none-match': bibtex.headers.etag as string },
    })
    expect(ris.statusCode).toBe(200)
    expect((await app.inject({ url: SEED, headers: { 'if-none-match': '"stale"' } })).statusCode).toBe(200)
  })

  it('answer If-Modified-Since with 304 unless the catalogue changed since', async () => {
    const first = await app.inject(SEED)
    const lastModified = first.headers['last-modified'] as string
    expect((await app.inject({ url: SEED, headers: { 'if-modified-since': lastModified } })).statusCode).toBe(304)
    const before = new Date(Date.parse(lastModified) - 1000).toUTCString()
    expect((await app.inject({ url: SEED, headers: { 'if-modified-since': before } })).statusCode).toBe(200)
  })

  it('work for HEAD too', async () => {
    const first = await app.inject({ method: 'HEAD', url: '/works' })
    expect(first.statusCode).toBe(200)
    const again = await app.inject({ method: 'HEAD', url: '/works', headers: { 'if-none-match': first.headers.etag as string } })
    expect(again.statusCode).toBe(304)
  })
})

describe('conditional requests', () => {
  it('get their 304 from the caching hook: no Content-Length to GET, the 200’s to HEAD, never a Content-Type', async () => {
    const plain = await testApp({ items: [seed] })
    const url = `${SEED}/citation?format=bibtex`
    const first = await plain.inject(url)
    const headers = { 'if-none-match': String(first.headers.etag) }
    const unchanged = await plain.inject({ url, headers })
    expect(unchanged.statusCode).toBe(304)
    expect(unchanged.headers['content-length']).toBeUndefined()
    expect(unchanged.headers['content-type']).toBeUndefined()
    const head = await plain.inject({ method: 'HEAD', url, headers })
    expect(head.statusCode).toBe(304)
    expect(head.headers['content-length']).toBe(String(first.rawPayload.length))
    expect(head.headers['content-type']).toBeUndefined()
    await plain.close()
  })
})

describe('HEAD', () => {
  it.each(['/works', SEED, `${SEED}/citation?format=bibtex`, '/openapi.json', '/health/live', '/docs/'])(
    'answers HEAD %s with the headers of GET and no content',
    async (url) => {
      const get = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } })
      const head = await app.inject({ method: 'HEAD', url, headers: { 'accept-encoding': 'gzip' } })
      expect(head.statusCode).toBe(get.statusCode)
      expect(head.body).toBe('')
      for (const name of ['content-type', 'content-length', 'content-encoding', 'etag', 'vary', 'cache-control', 'link']) {
        expect(head.headers[name], name).toBe(get.headers[name])
      }
    },
  )
})

describe('compression', () => {
  it('sends large bodies in brotli or gzip as the client prefers, with their own ETag', async () => {
    const plain = await app.inject('/works')
    const br = await app.inject({ url: '/works', headers: { 'accept-encoding': 'gzip, br' } })
    const gzip = await app.inject({ url: '/works', headers: { 'accept-encoding': 'gzip, br;q=0.5' } })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(br.headers['content-encoding']).toBe('br')
    expect(gzip.headers['content-encoding']).toBe('gzip')
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body)
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body)
    expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length)
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2)
    expect(new Set([plain.headers.etag, br.headers.etag, gzip.headers.etag]).size).toBe(3)
    expect(br.headers.vary).toBe('Accept-Encoding')
    const revalidated = await app.inject({
      url: '/works',
      headers: { 'accept-encoding': 'gzip, br', 'if-none-match': br.headers.etag as string },
    })
    expect(revalidated.statusCode).toBe(304)
  })

  it('leaves small bodies alone, and then does not Vary on Accept-Encoding', async () => {
    const response = await app.inject({ url: '/locales', headers: { 'accept-encoding': 'br' } })
    expect(response.statusCode).toBe(200)
    expect(response.rawPayload.length).toBeLessThan(1024)
    expect(response.headers['content-encoding']).toBeUndefined()
    expect(response.headers.vary).toBeUndefined()
  })
})

describe('what is not cached', () => {
  it('errors are never stored', async () => {
    for (const url of ['/works/no-such-work', '/works?rows=-1', '/nowhere']) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400)
      expect(response.headers['cache-control'], url).toBe('no-store')
      expect(response.headers.etag, url).toBeUndefined()
    }
  })

  it('health probes and metrics are never stored', async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics']) {
      expect((await app.inject(url)).headers['cache-control'], url).toBe('no-store')
    }
  })

  it('CACHE_MAX_AGE sets the max-age, and 0 asks caches to revalidate every time', async () => {
    const hour = await testApp({ items: [seed], config: loadConfig({ CACHE_MAX_AGE: '3600' }) })
    const never = await testApp({ items: [seed], config: loadConfig({ CACHE_MAX_AGE: '0' }) })
    expect((await hour.inject(SEED)).headers['cache-control']).toBe('public, max-age=3600')
    expect((await never.inject(SEED)).headers['cache-control']).toBe('no-cache')
    await Promise.all([hour.close(), never.close()])
  })
})
