import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { parse as parseRis } from 'astrocite-ris'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIN_COMPRESSED_SIZE } from '../../src/http/encoding.js'
import { FileStore } from '../../src/catalogue/file-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { testApp } from '../fixtures/app.js'
import { appWith, richItem, seed } from '../fixtures/works.js'

let app: FastifyInstance
const SEED = '/works/interleukin-2-in-cancer-2005'

beforeAll(async () => {
  const many = Array.from({ length: 30 }, (_, index) => ({ id: `filler-${index}`, type: 'book' as const, title: `Filler volume ${index}` }))
  app = await appWith(seed, richItem, ...many)
})
afterAll(() => app.close())

/** The body depends on Accept, and on Accept-Encoding once it is large enough to compress. */
function varyOf(body: string): string {
  return Buffer.byteLength(body) >= MIN_COMPRESSED_SIZE ? 'Accept, Accept-Encoding' : 'Accept'
}

function expectProblem(response: Awaited<ReturnType<FastifyInstance['inject']>>, status: number) {
  expect(response.statusCode).toBe(status)
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  const body = response.json<{ type: string; title: string; status: number; detail: string; instance: string; requestId: string }>()
  expect(body).toMatchObject({
    status,
    type: expect.stringMatching(/^\/problems\/[a-z-]+$/),
    title: expect.any(String),
    detail: expect.any(String),
  })
  expect(body.requestId).toBe(response.headers['x-request-id'])
  return body
}

describe('GET /works', () => {
  it('lists the catalogue in a Crossref-style envelope with a total', async () => {
    const response = await app.inject('/works')
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({
      status: 'ok',
      'message-type': 'work-list',
      message: { 'total-results': 32, 'items-per-page': 20, query: { 'start-index': 0, 'search-terms': null } },
    })
    expect(body.message.items).toHaveLength(20)
    expect(body.message.items[0]).toEqual(seed)
  })

  it('pages with rows and offset', async () => {
    const body = (await app.inject('/works?rows=5&offset=30')).json()
    expect(body.message.items.map((item: { id: string }) => item.id)).toEqual(['filler-28', 'filler-29'])
    expect(body.message['total-results']).toBe(32)
  })

  it('searches with query', async () => {
    const body = (await app.inject('/works?query=melanoma%20interleukin')).json()
    expect(body.message['total-results']).toBe(1)
    expect(body.message.items[0].id).toBe(seed.id)
    expect(body.message.query['search-terms']).toBe('melanoma interleukin')
    expect((await app.inject('/works?query=Beethoven')).json().message.items[0].id).toBe(richItem.id)
  })

  it('rejects bad paging and unknown parameters, naming each', async () => {
    const body = expectProblem(await app.inject('/works?rows=5000&offset=-1&sort=sideways'), 400) as unknown as { errors: { name: string }[] }
    expect(body.errors.map((error) => error.name).sort()).toEqual(['offset', 'rows', 'sort'])
    expectProblem(await app.inject('/works?rows=abc'), 400)
  })
})

describe('deep paging', () => {
  type ListBody = { message: { items: { id: string }[]; 'next-cursor'?: string; query: { 'start-index': number } } }

  async function walk(
    path: string,
    on = app,
    betweenPages: (page: number) => Promise<unknown> = async () => {},
  ): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = []
    let cursor = '*'
    for (let pages = 1; pages <= 100; pages++) {
      if (pages > 1) await betweenPages(pages)
      const response = await on.inject(`${path}&cursor=${encodeURIComponent(cursor)}`)
      expect(response.statusCode).toBe(200)
      const { message } = response.json<ListBody>()
      expect(message.query['start-index']).toBe(ids.length)
      ids.push(...message.items.map((item) => item.id))
      if (message['next-cursor'] === undefined) return { ids, pages }
      cursor = message['next-cursor']
    }
    throw new Error('the walk did not end')
  }

  it('walks the whole catalogue with cursor=* and next-cursor, each work once, in order', async () => {
    const all = (await app.inject('/works?rows=1000')).json<ListBody>().message.items.map((item) => item.id)
    expect(all).toHaveLength(32)
    expect(await walk('/works?rows=5')).toEqual({ ids: all, pages: 7 })
    expect(await walk('/works?rows=16')).toEqual({ ids: all, pages: 2 })
  })

  it('walks a search the same way', async () => {
    const { ids } = await walk('/works?rows=7&query=filler')
    expect(ids).toEqual(Array.from({ length: 30 }, (_, index) => `filler-${index}`))
  })

  it('refuses an offset beyond the maximum, pointing to cursor', async () => {
    const body = expectProblem(await app.inject('/works?offset=10001'), 400)
    expect(body.detail).toBe(
      'query parameter "offset": Too big: at most 10000; to page deeper, use cursor=* and then each page\'s next-cursor',
    )
    expect((await app.inject('/works?offset=10000')).statusCode).toBe(200)
  })

  it('refuses cursors it did not issue, or issued for another search, naming every fault', async () => {
    const next = (await app.inject('/works?rows=5&query=filler&cursor=*')).json<ListBody>().message['next-cursor'] as string
    const errorsOf = async (url: string) =>
      (expectProblem(await app.inject(url), 400) as unknown as { errors: { name: string; detail: string }[] }).errors
    expect(await errorsOf('/works?cursor=not-a-cursor')).toEqual([
      { in: 'query', name: 'cursor', detail: 'is not a cursor this service issued; start with cursor=*' },
    ])
    expect(await errorsOf(`/works?cursor=${next}`)).toEqual([
      {
        in: 'query',
        name: 'cursor',
        detail: 'was issued for another query or order; repeat the parameters of the first page, or start again with cursor=*',
      },
    ])
    expect((await errorsOf(`/works?query=filler&cursor=${next}&offset=5`)).map((error) => error.name)).toEqual(['offset'])
    expect((await errorsOf(`/works?query=filler&cursor=${next}x&offset=5`)).map((error) => error.name)).toEqual(['offset', 'cursor'])
    const forged = Buffer.from(JSON.stringify([-1, null, 0])).toString('base64url')
    expect((await errorsOf(`/works?cursor=${forged}`)).map((error) => error.name)).toEqual(['cursor'])
  })

  it('keeps a walk correct across writes: no work that was there throughout is skipped or repeated', async () => {
    const books = Array.from({ length: 20 }, (_, index) => ({ id: `book-${index}`, type: 'book' as const, title: `Book ${index}` }))
    const store = await FileStore.fromItems(books)
    const changing = await testApp({ store })
    const { ids } = await walk('/works?rows=5', changing, async (page) => {
      if (page !== 2) return
      // After the first page (book-0 to book-4): works before and after the cursor removed, changed and added.
      await store.write([
        { kind: 'delete', id: 'book-1' },
        { kind: 'delete', id: 'book-12' },
        { kind: 'put', item: { ...(books[8] as CslItem), title: 'Changed' } },
        { kind: 'put', item: { id: 'new', type: 'book', title: 'New' } },
      ])
    })
    await changing.close()
    const throughout = books.map((book) => book.id).filter((id) => id !== 'book-1' && id !== 'book-12')
    expect(ids.filter((id) => id !== 'new' && id !== 'book-1')).toEqual(throughout)
    expect(ids.filter((id) => id === 'new')).toEqual(['new'])
  })
})

describe('GET /works/{id}', () => {
  it('links to its canonical URL and to each citation format', async () => {
    const response = await app.inject('/works/10.1234/ABC.def')
    const links = String(response.headers.link)
      .split(/,\s*(?=<)/)
      .map((link) => {
        const [, target, rel, type] = /^<([^>]+)>; rel="(\w+)"(?:; type="([^"]+)")?$/.exec(link) ?? []
        return { target, rel, type }
      })
    expect(links[0]).toEqual({ target: '/works/berg-2020-fish', rel: 'canonical', type: undefined })
    expect(links[1]).toEqual({ target: '/pages/works/berg-2020-fish', rel: 'alternate', type: 'text/html' })
    expect(links.slice(2).map((link) => link.type)).toEqual([
      'application/x-bibtex',
      'application/x-biblatex',
      'application/x-research-info-systems',
      'application/x-endnote-refer',
      'application/vnd.citationstyles.csl+json',
      'application/ld+json',
      'application/vnd.datacite.datacite+xml',
      'application/vnd.datacite.datacite+json',
      'application/mods+xml',
      'application/x-oai-dc+xml',
      'text/turtle',
      'application/rdf+xml',
      'text/x-bibliography',
      'text/x-citation',
    ])
    for (const { target, rel, type } of links) {
      const linked = await app.inject(target as string)
      expect(linked.statusCode, target).toBe(200)
      if (rel === 'alternate') expect(linked.headers['content-type'], target).toBe(`${type}; charset=utf-8`)
    }
  })

  it('returns the metadata envelope by id', async () => {
    const response = await app.inject(SEED)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.headers.vary).toBe(varyOf(response.body))
    expect(response.json()).toEqual({ status: 'ok', 'message-type': 'work', 'message-version': '1.0.0', message: seed })
  })

  it.each([
    '/works/10.1234/ABC.def',
    '/works/10.1234/abc.def',
    '/works/10.1234%2Fabc.def',
    '/works/doi:10.1234%2FABC.DEF',
    '/works/https%3A%2F%2Fdoi.org%2F10.1234%2Fabc.def',
  ])('finds a work by DOI at %s', async (url) => {
    const response = await app.inject(url)
    expect(response.statusCode).toBe(200)
    expect(response.json().message.id).toBe(richItem.id)
  })

  it('answers an unknown id with 404 naming it', async () => {
    const body = expectProblem(await app.inject('/works/no-such-work'), 404)
    expect(body.detail).toBe('No work has the id or DOI "no-such-work".')
    expect(body.type).toBe('/problems/not-found')
  })

  describe('content negotiation', () => {
    it.each([
      ['application/x-bibtex', 'application/x-bibtex; charset=utf-8', /^@article\{interleukin-2-in-cancer-2005,/],
      ['application/x-biblatex', 'application/x-biblatex; charset=utf-8', /^@article\{interleukin-2-in-cancer-2005,/],
      ['application/x-research-info-systems', 'application/x-research-info-systems; charset=utf-8', /^TY {2}- JOUR\r\n/],
      [
        'application/vnd.citationstyles.csl+json',
        'application/vnd.citationstyles.csl+json; charset=utf-8',
        /^\[\n {2}\{\n {4}"id": "interleukin-2-in-cancer-2005"/,
      ],
      ['application/citeproc+json', 'application/vnd.citationstyles.csl+json; charset=utf-8', /^\[/],
      ['text/x-bibliography', 'text/x-bibliography; charset=utf-8', /^Interleukin-2 in cancer\. \(2005\)\. \[Review\]\. 273–285\.\n$/],
      ['application/x-endnote-refer', 'application/x-endnote-refer; charset=utf-8', /^%0 Journal Article\n/],
      ['application/ld+json', 'application/ld+json; charset=utf-8', /"@type": "ScholarlyArticle"/],
      ['application/vnd.schemaorg.ld+json', 'application/ld+json; charset=utf-8', /^\{\n {2}"@context": "https:\/\/schema.org"/],
      ['text/x-citation', 'text/x-citation; charset=utf-8', /^\(Interleukin-2 in Cancer, 2005\)\n$/],
      ['application/json', 'application/json; charset=utf-8', /^\{"status":"ok"/],
      ['*/*', 'application/json; charset=utf-8', /^\{"status":"ok"/],
    ])('Accept: %s', async (accept, contentType, body) => {
      const response = await app.inject({ url: SEED, headers: { accept } })
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe(contentType)
      expect(response.headers.vary).toBe(varyOf(response.body))
      expect(response.body).toMatch(body)
    })

    it('takes style and locale from the media type, as doi.org does', async () => {
      const response = await app.inject({ url: SEED, headers: { accept: 'text/x-bibliography; style=vancouver; locale=de-DE' } })
      expect(response.body).toBe('1. Interleukin-2 in cancer [Review]. 24. Februar 2005;273–85.\n')
    })

    it('honours q-values across several types', async () => {
      const response = await app.inject({
        url: SEED,
        headers: { accept: 'application/json;q=0.5, application/x-research-info-systems;q=0.9, text/x-bibliography;q=0.1' },
      })
      expect(response.headers['content-type']).toBe('application/x-research-info-systems; charset=utf-8')
    })

    it('works by DOI too', async () => {
      const response = await app.inject({ url: '/works/10.1234/abc.def', headers: { accept: 'application/x-bibtex' } })
      expect(response.body).toMatch(/^@article\{berg-2020-fish,/)
    })

    it('answers 406 listing what is available when nothing is acceptable', async () => {
      const body = expectProblem(
        await app.inject({ url: SEED, headers: { accept: 'image/png, application/pdf;q=0.5' } }),
        406,
      ) as unknown as {
        available: string[]
      }
      expect(body.available).toEqual(
        expect.arrayContaining([
          'application/json',
          'application/x-bibtex',
          'text/x-bibliography',
          'application/x-research-info-systems',
          'text/html',
        ]),
      )
    })

    it('refuses an Accept header too long to read with 431, naming it', async () => {
      const body = expectProblem(await app.inject({ url: SEED, headers: { accept: 'text/x-bibliography;q=0.5,'.repeat(100) } }), 431)
      expect(body).toMatchObject({
        type: '/problems/header-fields-too-large',
        detail: 'header Accept has 2600 characters; at most 2048 are read.',
      })
    })

    it('rejects an unknown style or locale in the Accept header, naming the parameter', async () => {
      const body = expectProblem(
        await app.inject({ url: SEED, headers: { accept: 'text/x-bibliography; style=nonesuch; locale=xx' } }),
        400,
      )
      expect(body.detail).toContain('header Accept: parameter "style": unknown style "nonesuch"')
      expect(body.detail).toContain('parameter "locale": unknown locale "xx"')
    })
  })
})

describe('GET /works/{id}/citation', () => {
  it.each([
    ['bibtex', 'application/x-bibtex; charset=utf-8', 'interleukin-2-in-cancer-2005.bib'],
    ['biblatex', 'application/x-biblatex; charset=utf-8', 'interleukin-2-in-cancer-2005.bib'],
    ['ris', 'application/x-research-info-systems; charset=utf-8', 'interleukin-2-in-cancer-2005.ris'],
    ['csl-json', 'application/vnd.citationstyles.csl+json; charset=utf-8', 'interleukin-2-in-cancer-2005.json'],
    ['bibliography', 'text/x-bibliography; charset=utf-8', 'interleukin-2-in-cancer-2005.txt'],
  ])('format=%s has its media type and a download file name', async (format, contentType, fileName) => {
    const response = await app.inject(`${SEED}/citation?format=${format}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe(contentType)
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`)
    expect(response.body.length).toBeGreaterThan(40)
  })

  it('serves BibTeX that an independent parser reads', async () => {
    const { entries, errors } = parseBibtex((await app.inject('/works/10.1234/abc.def/citation?format=bibtex')).body)
    expect(errors).toEqual([])
    expect(entries[0]?.fields.journal).toBe('Journal of Awkward Text')
  })

  it('serves RIS that an independent parser reads as one record', async () => {
    const records = parseRis((await app.inject(`${SEED}/citation?format=ris`)).body)
    expect(records).toHaveLength(1)
    expect(records[0]?.title).toBe('Interleukin-2 in cancer')
  })

  it('defaults to an APA bibliography entry', async () => {
    expect((await app.inject(`${SEED}/citation`)).body).toBe('Interleukin-2 in cancer. (2005). [Review]. 273–285.\n')
  })

  it('renders a bibliography in a style, locale and as HTML', async () => {
    const text = await app.inject(`${SEED}/citation?format=bibliography&style=harvard&locale=en-US`)
    expect(text.body).toBe('(2005) “Interleukin-2 in cancer,” pp. 273–285.\n')
    const html = await app.inject(`${SEED}/citation?format=bibliography&style=vancouver&output=html`)
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(html.headers['content-disposition']).toBe('attachment; filename="interleukin-2-in-cancer-2005.html"')
    expect(html.body).toContain('<div class="csl-entry" data-csl-entry-id="interleukin-2-in-cancer-2005">')
  })

  it('rejects an unknown format naming the allowed values', async () => {
    const body = expectProblem(await app.inject(`${SEED}/citation?format=docx`), 400) as unknown as {
      errors: { name: string; allowed: string[] }[]
    }
    expect(body.errors).toEqual([
      expect.objectContaining({
        in: 'query',
        name: 'format',
        allowed: [
          'bibtex',
          'biblatex',
          'ris',
          'endnote',
          'csl-json',
          'schema-org',
          'datacite-xml',
          'datacite-json',
          'mods',
          'dublin-core',
          'turtle',
          'rdf-xml',
          'bibliography',
          'citation',
        ],
      }),
    ])
  })

  it('rejects unknown styles and locales together, suggesting the closest ids', async () => {
    const body = expectProblem(await app.inject(`${SEED}/citation?style=nope&locale=zz-ZZ&output=pdf`), 400) as unknown as {
      errors: { name: string }[]
    }
    expect(body.errors.map((error) => error.name)).toEqual(['output'])
    const styleAndLocale = expectProblem(await app.inject(`${SEED}/citation?style=vancuver&locale=de-AT`), 400) as unknown as {
      detail: string
      errors: { name: string; allowed: string[] }[]
    }
    expect(styleAndLocale.errors.map((error) => error.name)).toEqual(['style', 'locale'])
    expect(styleAndLocale.errors[0]?.allowed).toEqual(['vancouver'])
    expect(styleAndLocale.errors[1]?.allowed).toContain('de-DE')
    expect(styleAndLocale.detail).toMatch(
      /^query parameter "style": unknown style "vancuver"; closest: vancouver [^;]*; query parameter "locale": unknown locale "de-AT"; closest: de-DE/,
    )
  })

  it('answers 404 for an unknown id', async () => {
    expectProblem(await app.inject('/works/nothing-here/citation?format=ris'), 404)
  })
})

describe('unknown routes', () => {
  it('are problems too', async () => {
    const body = expectProblem(await app.inject('/nowhere'), 404)
    expect(body.detail).toBe('There is no route GET /nowhere.')
  })
})
