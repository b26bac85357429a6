import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { citationMeta, parseHtml, textOf } from '../fixtures/html.js'
import { AUTH, writeApp, type WriteApp } from '../fixtures/write-app.js'
import { richItem, seed } from '../fixtures/works.js'

// After a write, every view of the catalogue shows it at once, under new validators, so that a cache
// revalidating with the old ones gets the new answer, not a 304.

const id = String(richItem.id)
const revised: CslItem = { ...richItem, title: 'Revised title about herring' }

/** The views of the work and of the catalogue that a write must reach. */
const VIEWS = {
  metadata: `/works/${id}`,
  landingPage: `/pages/works/${id}`,
  catalogueList: '/works?rows=100',
  cataloguePage: '/',
  export: `/citations?format=bibtex&ids=${id}`,
} as const

let app: WriteApp
beforeAll(async () => {
  app = await writeApp([seed, richItem])
})
afterAll(() => app.app.close())

async function view(url: string, headers: Record<string, string> = {}) {
  const response = await app.app.inject({ url, headers })
  return {
    status: response.statusCode,
    body: response.body,
    etag: String(response.headers.etag),
    modified: response.headers['last-modified'],
  }
}

/** The title each view shows, read with a parser of its format. */
function titleIn(name: keyof typeof VIEWS, body: string): string[] {
  switch (name) {
    case 'metadata':
      return [(JSON.parse(body) as { message: CslItem }).message.title ?? '']
    case 'catalogueList':
      return (JSON.parse(body) as { message: { items: CslItem[] } }).message.items.map((item) => item.title ?? '')
    case 'landingPage':
      return citationMeta(parseHtml(body))
        .filter(([name]) => name === 'citation_title')
        .map(([, content]) => content)
    case 'cataloguePage':
      return [textOf(parseHtml(body))]
    case 'export':
      return parseBibtex(body).entries.map((entry) => String(entry.fields.title))
  }
}

describe('after a write', () => {
  it('every view shows the new record, with new validators, and the work’s ETag is the one the write gave', async () => {
    const names = Object.keys(VIEWS) as (keyof typeof VIEWS)[]
    const before = new Map(await Promise.all(names.map(async (name) => [name, await view(VIEWS[name])] as const)))
    for (const name of names) expect(titleIn(name, before.get(name)?.body ?? '').join(' '), name).not.toContain('herring')

    const written = await app.app.inject({
      method: 'PUT',
      url: `/works/${id}`,
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: JSON.stringify(revised),
    })
    expect(written.statusCode).toBe(200)

    for (const name of names) {
      const old = before.get(name)
      const after = await view(VIEWS[name], { 'if-none-match': old?.etag ?? '' })
      expect(after.status, `${name} revalidated with its old ETag`).toBe(200)
      expect(after.etag, name).not.toBe(old?.etag)
      expect(titleIn(name, after.body).join(' '), name).toContain('Revised title about herring')
    }
    expect((await view(VIEWS.metadata)).etag).toBe(written.headers.etag)
  })

  it('a deleted work is gone from every view', async () => {
    const deleted = await app.app.inject({ method: 'DELETE', url: `/works/${id}`, headers: AUTH })
    expect(deleted.statusCode).toBe(204)
    expect((await view(VIEWS.metadata)).status).toBe(404)
    expect((await view(VIEWS.landingPage)).status).toBe(404)
    for (const name of ['catalogueList', 'cataloguePage'] as const) {
      expect(titleIn(name, (await view(VIEWS[name])).body).join(' '), name).not.toContain('herring')
    }
  })
})
