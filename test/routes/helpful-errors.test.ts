import type { FastifyInstance } from 'fastify'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { loadConfig } from '../../src/config.js'
import { openCslServices, type CslServices } from '../../src/formats/csl/services.js'
import { seed } from '../fixtures/works.js'

// Errors a newcomer meets first, each of which must say what to do instead.

const SEED = '/works/interleukin-2-in-cancer-2005'
let app: FastifyInstance
beforeAll(async () => {
  // citation-js's built-in styles only, as without Debian's packages; a slow first compile is no failure here.
  app = await testApp({ items: [seed], config: loadConfig({ REQUEST_TIMEOUT: '300' }) })
})
afterAll(() => app.close())

const problem = async (url: string) => {
  const response = await app.inject(url)
  return { status: response.statusCode, ...response.json<{ detail: string; errors?: { name: string; allowed?: string[] }[] }>() }
}

describe('format names', () => {
  it('are matched in any case and by the usual aliases', { timeout: 120_000 }, async () => {
    for (const [asked, type] of [
      ['BibTeX', 'application/x-bibtex'],
      ['bib', 'application/x-bibtex'],
      ['enw', 'application/x-endnote-refer'],
      ['json', 'application/vnd.citationstyles.csl+json'],
      ['JSONLD', 'application/ld+json'],
      ['txt', 'text/x-bibliography'],
    ]) {
      const response = await app.inject(`${SEED}/citation?format=${asked}`)
      expect(response.statusCode, asked).toBe(200)
      expect(response.headers['content-type'], asked).toContain(type)
    }
    expect((await app.inject('/citations?format=ENW')).headers['content-type']).toContain('application/x-endnote-refer')
  })

  it('an unknown one gets the closest names', async () => {
    const answer = await problem(`${SEED}/citation?format=bibtx`)
    expect(answer.status).toBe(400)
    expect(answer.detail).toMatch(/unknown format "bibtx"; closest: bibtex/)
    expect(answer.errors?.[0]?.allowed).toContain('endnote') // every format, for a client to choose from
  })

  it('a style given as a format says how to ask for the style', async () => {
    const answer = await problem(`${SEED}/citation?format=apa`)
    expect(answer.status).toBe(400)
    expect(answer.detail).toContain('use format=bibliography&style=apa')
    expect((await app.inject(`${SEED}/citation?format=bibliography&style=apa`)).statusCode).toBe(200)
  })
})

describe('an unknown parameter', () => {
  it("lists the operation's parameters and the closest one", async () => {
    const answer = await problem('/works?q=interleukin')
    expect(answer.status).toBe(400)
    expect(answer.detail).toContain('did you mean "query"?')
    expect(answer.errors?.[0]).toMatchObject({
      name: 'q',
      allowed: expect.arrayContaining(['query', 'rows', 'offset', 'cursor', 'filter']),
    })
    expect((await problem(`${SEED}/citation?stlye=apa`)).detail).toContain('did you mean "style"?')
  })
})

describe('an unknown locale', () => {
  it('by language name gets the locale ids of that language', async () => {
    const answer = await problem(`${SEED}/citation?locale=english`)
    expect(answer.status).toBe(400)
    expect(answer.errors?.[0]?.allowed?.[0]).toBe('en-US')
    expect((await problem(`${SEED}/citation?locale=deutsch`)).errors?.[0]?.allowed).toContain('de-DE')
  })
})

describe('an official style that is not installed', () => {
  it('asked for by its alias, says which package provides it instead of offering itself', async () => {
    for (const alias of ['ieee', 'mla']) {
      const answer = await problem(`${SEED}/citation?style=${alias}`)
      expect(answer.status).toBe(400)
      expect(answer.detail).toContain('apt-get install citation-style-language-styles')
      expect(answer.errors?.[0]?.allowed ?? []).not.toContain(alias)
    }
  })

  it('is not offered as an alias', async () => {
    const styles = (await app.inject('/styles')).json().message.items as { id: string; aliases: string[] }[]
    expect(styles.flatMap((style) => style.aliases)).not.toContain('ieee')
    expect(styles.find((style) => style.id === 'harvard-cite-them-right')?.aliases).toContain('harvard')
  })
})

describe('a path under /works/{id}/ that is no route', () => {
  it('is a 404 naming the routes, not a missing work', async () => {
    const answer = await problem(`${SEED}/citations`)
    expect(answer.status).toBe(404)
    expect(answer.detail).toContain('/works/{id}/citation')
    expect(answer.detail).not.toContain('No work')
    expect((await problem('/works/10.9999/no-such-doi')).detail).toContain('No work has the id or DOI')
  })
})

describe('GET /styles?query= with official styles installed', () => {
  let directory: string
  let official: FastifyInstance
  let csl: CslServices
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'citeserve-styles-'))
    mkdirSync(join(directory, 'dependent'))
    const style = (id: string, title: string) =>
      `<?xml version="1.0" encoding="utf-8"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n` +
      `<info><title>${title}</title><id>http://www.zotero.org/styles/${id}</id><category citation-format="author-date"/></info></style>\n`
    // In file-name order, the general chicago style comes after others that mention chicago.
    for (const [id, title] of [
      ['begell-house-chicago-author-date', 'Begell House - Chicago Manual of Style'],
      ['chicago-author-date-16th-edition', 'Chicago Manual of Style 16th edition (author-date)'],
      ['chicago-author-date-de', 'Chicago Manual of Style (author-date, Deutsch)'],
      ['chicago-author-date', 'Chicago Manual of Style 17th edition (author-date)'],
      ['ieee', 'IEEE Reference Guide'],
    ])
      writeFileSync(join(directory, `${id}.csl`), style(id as string, title as string))
    csl = await openCslServices({ styleDirectories: [directory], localeDirectories: [], engines: 2, workers: 1 })
    official = await testApp({ items: [seed], csl })
  })
  afterAll(async () => {
    await official.close()
    await csl.renderer.close()
    rmSync(directory, { recursive: true, force: true })
  })

  it('ranks the exact id or alias first, then ids starting with the query, then the rest', async () => {
    const items = (await official.inject('/styles?query=chicago')).json().message.items as { id: string; aliases: string[] }[]
    expect(items.map((style) => style.id)).toEqual([
      'chicago-author-date',
      'chicago-author-date-de',
      'chicago-author-date-16th-edition',
      'begell-house-chicago-author-date',
    ])
    expect(items[0]?.aliases).toEqual(['chicago'])
  })

  it('offers an alias once its style is installed', async () => {
    expect((await official.inject(`${SEED}/citation?style=ieee`)).statusCode).not.toBe(400)
  })
})
