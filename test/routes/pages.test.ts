import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { testApp } from '../fixtures/app.js'
import { loadConfig } from '../../src/config.js'
import {
  allElements,
  attribute,
  byClass,
  byId,
  byTag,
  citationMeta,
  cspDirectives,
  parseHtml,
  textOf,
  type Element,
} from '../fixtures/html.js'
import { appWith, richItem, seed } from '../fixtures/works.js'

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const SEED = `/works/${seed.id}`
const PAGE = `/pages/works/${seed.id}`
const many: CslItem[] = Array.from({ length: 12 }, (_, index) => ({
  id: `volume-${index}`,
  type: 'book',
  title: `Collected volume ${index}`,
}))

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed, richItem, ...many)
})
afterAll(() => app.close())

const browse = (url: string) => app.inject({ url, headers: { accept: BROWSER } })

function citationOf(page: ReturnType<typeof parseHtml>): string {
  const output = byId(page, 'cite-output')
  expect(output).toBeDefined()
  return textOf(output as Element).trim()
}

async function apiCitation(query: string): Promise<string> {
  const response = await app.inject(`${SEED}/citation?format=bibliography&output=html&${query}`)
  expect(response.statusCode).toBe(200)
  return textOf(parseHtml(response.body)).trim()
}

describe('the landing page: /pages/works/{id}, and GET /works/{id} by content negotiation', () => {
  it('sends a browser at the API URL on to the page URL, with the query, and keeps Vary: Accept', async () => {
    const redirect = await browse(`${SEED}?style=ieee`)
    expect(redirect.statusCode).toBe(303)
    expect(redirect.headers.location).toBe(`${PAGE}?style=ieee`)
    expect(String(redirect.headers.vary)).toMatch(/\bAccept\b/)
    const response = await browse(PAGE)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    const page = parseHtml(response.body)
    expect(attribute(byTag(page, 'html')[0] as Element, 'lang')).toBe('en')
    expect(textOf(byTag(page, 'h1')[0] as Element)).toBe('Interleukin-2 in cancer')
  })

  it.each([
    ['no Accept', undefined],
    ['*/*', '*/*'],
    ['application/json', 'application/json'],
    ['text/*', 'text/*'],
  ])('keeps answering JSON metadata (or a citation) to %s', async (_name, accept) => {
    const response = await app.inject({ url: SEED, headers: accept === undefined ? {} : { accept } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).not.toMatch(/^text\/html/)
    if (accept !== 'text/*') expect(response.json()).toMatchObject({ 'message-type': 'work', message: { id: seed.id } })
  })

  it('shows the default citation (APA, en-US) exactly as the API renders it', async () => {
    const page = parseHtml((await browse(PAGE)).body)
    expect(citationOf(page)).toBe(await apiCitation('style=apa&locale=en-US'))
    expect(citationOf(page)).toContain('Interleukin-2 in cancer. (2005)')
  })

  it('links the BibTeX, RIS, EndNote and CSL-JSON files, which are served', async () => {
    const links = byClass(parseHtml((await browse(PAGE)).body), 'downloads').flatMap((list) => byTag(list, 'a'))
    expect(links.map((link) => textOf(link))).toEqual(['BibTeX', 'RIS', 'EndNote', 'CSL-JSON'])
    for (const link of links) {
      const href = attribute(link, 'href') as string
      expect(href).toMatch(new RegExp(`^${SEED}/citation\\?format=(bibtex|ris|endnote|csl-json)$`))
      const file = await app.inject(href)
      expect(file.statusCode, href).toBe(200)
      expect(file.headers['content-disposition'], href).toMatch(/^attachment; filename=/)
    }
  })

  it('changes style and locale without JavaScript: a GET form re-renders the page from ?style=&locale=', async () => {
    const page = parseHtml((await browse(PAGE)).body)
    const form = byClass(page, 'cite-form')[0] as Element
    expect(attribute(form, 'method')).toBe('get')
    expect(attribute(form, 'action')).toBe(PAGE)
    const fields = allElements(form).filter((element) => attribute(element, 'name') !== undefined)
    expect(fields.map((field) => attribute(field, 'name'))).toEqual(['style', 'locale'])
    // Every field has a label.
    for (const field of fields) {
      const id = attribute(field, 'id') as string
      expect(
        byTag(page, 'label').some((label) => attribute(label, 'for') === id),
        id,
      ).toBe(true)
    }

    const changed = parseHtml((await browse(`${PAGE}?style=vancouver&locale=de-DE`)).body)
    expect(citationOf(changed)).toBe(await apiCitation('style=vancouver&locale=de-DE'))
    expect(citationOf(changed)).not.toBe(citationOf(page))
    expect(attribute(byId(changed, 'cite-style') as Element, 'value')).toBe('vancouver')
    const selected = byTag(byId(changed, 'cite-locale') as Element, 'option').filter(
      (option) => attribute(option, 'selected') !== undefined,
    )
    expect(selected.map((option) => attribute(option, 'value'))).toEqual(['de-DE'])
  })

  it('treats the empty fields of an untouched form as the defaults', async () => {
    const page = parseHtml((await browse(`${PAGE}?style=&locale=`)).body)
    expect(citationOf(page)).toBe(await apiCitation('style=apa'))
  })

  it('shows an unknown style as an error with the closest styles as links, with status 400', async () => {
    const response = await browse(`${PAGE}?style=vancuver`)
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    const page = parseHtml(response.body)
    const error = byClass(page, 'cite-error')[0] as Element
    expect(attribute(error, 'role')).toBe('alert')
    expect(textOf(error).replace(/\s+/g, ' ')).toContain('The style “vancuver” is not available')
    const suggestions = byTag(error, 'a').map((link) => [textOf(link), attribute(link, 'href')])
    expect(suggestions).toContainEqual(['vancouver', `${PAGE}?style=vancouver&locale=`])
    // The rest of the page is still there: the work and its downloads.
    expect(textOf(byTag(page, 'h1')[0] as Element)).toBe('Interleukin-2 in cancer')
    expect(byClass(page, 'downloads')).toHaveLength(1)
  })

  it.each([
    ['no Accept', {}],
    [
      'Accept: */* and a browser User-Agent, as Zotero’s translation-server and Citoid send',
      {
        accept: '*/*',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      },
    ],
    ['Accept: application/json', { accept: 'application/json' }],
  ])('answers the page URL with the page to %s', async (_name, headers) => {
    const response = await app.inject({ url: PAGE, headers })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(textOf(byTag(parseHtml(response.body), 'h1')[0] as Element)).toBe('Interleukin-2 in cancer')
  })

  it('gives the page URL as canonical link and citation_public_url, absolute, and as a Link of the API', async () => {
    const page = parseHtml((await app.inject({ url: PAGE, headers: { host: 'cite.example.org' } })).body)
    const canonical = byTag(page, 'link').find((link) => attribute(link, 'rel') === 'canonical')
    expect(attribute(canonical as Element, 'href')).toBe(`http://cite.example.org${PAGE}`)
    expect(citationMeta(page).find(([name]) => name === 'citation_public_url')).toEqual([
      'citation_public_url',
      `http://cite.example.org${PAGE}`,
    ])
    const api = await app.inject(SEED)
    expect(String(api.headers.link)).toContain(`<${PAGE}>; rel="alternate"; type="text/html"`)
  })

  it('builds the page URL on PUBLIC_URL when it is set, whatever the Host', async () => {
    const configured = await testApp({ items: [seed], config: loadConfig({ PUBLIC_URL: 'https://cite.example.org/' }) })
    const page = parseHtml((await configured.inject({ url: PAGE, headers: { host: 'internal:3000' } })).body)
    const canonical = byTag(page, 'link').find((link) => attribute(link, 'rel') === 'canonical')
    expect(attribute(canonical as Element, 'href')).toBe(`https://cite.example.org${PAGE}`)
    expect(citationMeta(page).find(([name]) => name === 'citation_public_url')).toEqual([
      'citation_public_url',
      `https://cite.example.org${PAGE}`,
    ])
    await configured.close()
  })

  it('answers a browser asking for an unknown work with a 404 page, and other clients with problem+json', async () => {
    const page = await browse('/pages/works/no-such-work')
    expect(page.statusCode).toBe(404)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['cache-control']).toBe('no-store')
    expect(textOf(byTag(parseHtml(page.body), 'h1')[0] as Element)).toBe('Not found')
    const problem = await app.inject('/pages/works/no-such-work')
    expect(problem.statusCode).toBe(404)
    expect(problem.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  })

  it('is found by DOI too, and revalidates with its ETag', async () => {
    const byDoi = await browse('/pages/works/10.1234/abc.def')
    expect(byDoi.statusCode).toBe(200)
    expect(citationMeta(parseHtml(byDoi.body))[0]).toEqual(['citation_title', richItem.title])
    const etag = String(byDoi.headers.etag)
    expect(etag).toMatch(/^"[^"]+"$/)
    const again = await app.inject({ url: '/pages/works/10.1234/abc.def', headers: { accept: BROWSER, 'if-none-match': etag } })
    expect(again.statusCode).toBe(304)
  })
})

describe('GET /: the catalogue page', () => {
  const entries = (body: string) =>
    byClass(parseHtml(body), 'works').flatMap((list) => byTag(list, 'li').map((item) => byTag(item, 'a')[0] as Element))

  it('lists the works, each linking to its landing page', async () => {
    const response = await browse('/')
    expect(response.statusCode).toBe(200)
    const links = entries(response.body)
    expect(links).toHaveLength(14)
    expect(links.map((link) => attribute(link, 'href'))[0]).toBe(PAGE)
    expect(attribute(links[1] as Element, 'href')).toBe(`/pages/works/${richItem.id}`)
    expect(textOf(links[1] as Element)).toBe(richItem.title)
  })

  it('searches with query, and keeps the words in the search field', async () => {
    const response = await browse('/?query=collected+volume+7')
    const page = parseHtml(response.body)
    expect(entries(response.body).map((link) => textOf(link))).toEqual(['Collected volume 7'])
    expect(attribute(byId(page, 'query') as Element, 'value')).toBe('collected volume 7')
    expect(textOf(byId(page, 'result-count') as Element)).toBe('Works 1 to 1 of 1 matching “collected volume 7”.')
  })

  it('pages with rows and offset, linking the previous and next pages', async () => {
    const first = await browse('/?rows=5')
    const nav = (body: string) =>
      Object.fromEntries(
        byClass(parseHtml(body), 'paging')
          .flatMap((element) => byTag(element, 'a'))
          .map((link) => [attribute(link, 'rel'), attribute(link, 'href')]),
      )
    expect(nav(first.body)).toEqual({ next: '/?rows=5&offset=5' })
    const second = await browse('/?rows=5&offset=5')
    expect(entries(second.body).map((link) => textOf(link))).toEqual([0, 1, 2, 3, 4].map((index) => `Collected volume ${index + 3}`))
    expect(nav(second.body)).toEqual({ prev: '/?rows=5&offset=0', next: '/?rows=5&offset=10' })
    const last = await browse('/?rows=5&offset=10')
    expect(entries(last.body)).toHaveLength(4)
    expect(nav(last.body)).toEqual({ prev: '/?rows=5&offset=5' })
  })

  it('walks with cursors as GET /works does', async () => {
    const first = await browse('/?rows=10&cursor=*')
    const next = byClass(parseHtml(first.body), 'paging').flatMap((element) => byTag(element, 'a'))
    expect(next.map((link) => attribute(link, 'rel'))).toEqual(['next'])
    const href = attribute(next[0] as Element, 'href') as string
    expect(href).toMatch(/^\/\?rows=10&cursor=[\w-]+$/)
    expect(entries((await browse(href)).body).map((link) => textOf(link))).toEqual([
      'Collected volume 8',
      'Collected volume 9',
      'Collected volume 10',
      'Collected volume 11',
    ])
  })

  it('answers invalid parameters with a 400 page to browsers and problem+json to others', async () => {
    const page = await browse('/?rows=many')
    expect(page.statusCode).toBe(400)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(textOf(byClass(parseHtml(page.body), 'problem-errors')[0] as Element).trim()).toMatch(/^rows: /)
    const problem = await app.inject('/?rows=many')
    expect(problem.statusCode).toBe(400)
    expect(problem.json()).toMatchObject({ type: '/problems/invalid-parameter', errors: [{ name: 'rows' }] })
  })
})

describe('security of the pages', () => {
  const PAGES = ['/', PAGE, `/works/${seed.id}/widget`, `${PAGE}?style=nope`, '/works/nowhere', '/pages/works/nowhere']

  it.each(PAGES)('%s has a Content-Security-Policy without unsafe-inline, scripts from self only', async (url) => {
    const response = await browse(url)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    const policy = String(response.headers['content-security-policy'])
    expect(policy).not.toContain('unsafe-inline')
    expect(policy).not.toContain('unsafe-eval')
    const directives = cspDirectives(policy)
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('style-src')).toEqual(["'self'"])
    expect(directives.get('default-src')).toEqual(["'none'"])
    // Nothing on the page needs an exception: scripts are same-origin files or JSON-LD data blocks.
    const page = parseHtml(response.body)
    for (const script of byTag(page, 'script')) {
      const type = attribute(script, 'type')
      if (type === 'application/ld+json') continue
      expect(attribute(script, 'src')).toMatch(/^\/assets\/[\w-]+\/[\w.-]+\.js$/)
      expect(textOf(script)).toBe('')
    }
    expect(byTag(page, 'style')).toEqual([])
    expect(allElements(page).filter((element) => attribute(element, 'style') !== undefined)).toEqual([])
  })

  it('lets other sites frame the widget only; every other page refuses framing', async () => {
    for (const url of ['/', PAGE, '/works/nowhere']) {
      const response = await browse(url)
      expect(cspDirectives(String(response.headers['content-security-policy'])).get('frame-ancestors'), url).toEqual(["'none'"])
      expect(response.headers['x-frame-options'], url).toBe('DENY')
    }
    const widget = await browse(`/works/${seed.id}/widget`)
    expect(cspDirectives(String(widget.headers['content-security-policy'])).get('frame-ancestors')).toEqual(['*'])
    expect(widget.headers['x-frame-options']).toBeUndefined()
    // Nobody may frame an API response either.
    const api = await app.inject(SEED)
    expect(api.headers['x-frame-options']).toBe('DENY')
    expect(cspDirectives(String(api.headers['content-security-policy'])).get('frame-ancestors')).toEqual(["'none'"])
  })

  it('lets only the origins in WIDGET_ORIGINS frame the widget when it is a list', async () => {
    const config = loadConfig({ WIDGET_ORIGINS: 'https://a.example,http://localhost:8080' })
    const listed = await testApp({ items: [seed], config })
    try {
      const widget = await listed.inject(`/works/${seed.id}/widget`)
      expect(cspDirectives(String(widget.headers['content-security-policy'])).get('frame-ancestors')).toEqual([
        'https://a.example',
        'http://localhost:8080',
      ])
    } finally {
      await listed.close()
    }
  })
})

describe('GET /works/{id}/widget', () => {
  it('is the citation box alone, whose form stays in the widget', async () => {
    const response = await app.inject(`/works/${seed.id}/widget?style=vancouver`)
    expect(response.statusCode).toBe(200)
    const page = parseHtml(response.body)
    expect(byClass(page, 'citation-box')).toHaveLength(1)
    expect(citationOf(page)).toBe(await apiCitation('style=vancouver'))
    expect(attribute(byClass(page, 'cite-form')[0] as Element, 'action')).toBe(`/works/${seed.id}/widget`)
    expect(textOf(byTag(page, 'h1')[0] as Element)).toBe('Cite this work')
  })

  it('shows an unknown work as a 404 page that the host may frame, so that it can show why', async () => {
    const response = await browse('/works/no-such-work/widget')
    expect(response.statusCode).toBe(404)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(cspDirectives(String(response.headers['content-security-policy'])).get('frame-ancestors')).toEqual(['*'])
  })

  it('is found by an unencoded DOI', async () => {
    const response = await app.inject('/works/10.1234/abc.def/widget')
    expect(response.statusCode).toBe(200)
    expect(attribute(byClass(parseHtml(response.body), 'cite-form')[0] as Element, 'action')).toBe(`/works/${richItem.id}/widget`)
  })
})

describe('the pages’ static files', () => {
  it('are linked by fingerprinted URLs, cached for a year with a strong ETag', async () => {
    const page = parseHtml((await browse(PAGE)).body)
    const urls = [
      ...byTag(page, 'link')
        .filter((link) => attribute(link, 'rel') === 'stylesheet')
        .map((link) => attribute(link, 'href') as string),
      ...byTag(page, 'script').flatMap((script) => attribute(script, 'src') ?? []),
    ]
    expect(urls).toHaveLength(2)
    for (const url of urls) {
      const response = await app.inject(url)
      expect(response.statusCode, url).toBe(200)
      expect(response.headers['content-type'], url).toMatch(/^text\/(css|javascript); charset=utf-8$/)
      expect(response.headers['cache-control'], url).toBe('public, max-age=31536000, immutable')
      expect(response.headers.etag, url).toMatch(/^"[^"]+"$/)
      const again = await app.inject({ url, headers: { 'if-none-match': String(response.headers.etag) } })
      expect(again.statusCode, url).toBe(304)
    }
  })

  it('redirect an outdated version to the current one, and know no other names', async () => {
    const stale = await app.inject('/assets/outdated/site.css')
    expect(stale.statusCode).toBe(308)
    expect(stale.headers.location).toMatch(/^\/assets\/[\w-]+\/site\.css$/)
    expect((await app.inject('/assets/x/secrets.txt')).statusCode).toBe(404)
    expect((await app.inject('/assets/x/..%2Fpackage.json')).statusCode).toBe(404)
  })

  it('include /widget.js at a stable URL, with the usual revalidation', async () => {
    const response = await app.inject('/widget.js')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(response.headers['cache-control']).toBe('public, max-age=300')
    expect(response.body).toContain("customElements.define('cite-this'")
  })
})
