import type { FastifyInstance } from 'fastify'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { openCslServices } from '../../src/formats/csl/services.js'
import { seed } from '../fixtures/works.js'

let app: FastifyInstance
beforeAll(async () => {
  const csl = await openCslServices({
    styleDirectories: [fileURLToPath(new URL('../fixtures/csl-styles', import.meta.url))],
    localeDirectories: [fileURLToPath(new URL('../fixtures/csl-locales', import.meta.url))],
    engines: 4,
    workers: 1,
  })
  app = await testApp({ items: [seed], csl })
})
afterAll(() => app.close())

describe('GET /styles', () => {
  it('lists every style with title, citation format and parent', async () => {
    const body = (await app.inject('/styles')).json()
    expect(body).toMatchObject({ status: 'ok', 'message-type': 'style-list', message: { 'total-results': 5 } })
    expect(body.message.items).toContainEqual({
      id: 'citeserve-test-journal',
      title: 'Journal of citeserve Tests',
      format: 'author-date',
      parent: 'citeserve-test',
      aliases: [],
    })
  })

  it('filters by words of the id or title', async () => {
    const ids = async (query: string) =>
      (await app.inject(`/styles?query=${query}`)).json().message.items.map((style: { id: string }) => style.id)
    expect(await ids('journal%20tests')).toEqual(['citeserve-test-journal'])
    expect(await ids('vanc')).toEqual(['vancouver'])
    expect(await ids('nothing-like-this')).toEqual([])
  })
})

describe('GET /locales', () => {
  it('lists every locale, with a filter', async () => {
    expect((await app.inject('/locales')).json().message.items).toEqual(['de-DE', 'en-US', 'es-ES', 'fr-FR', 'nl-NL', 'xx-TS'])
    expect((await app.inject('/locales?query=de')).json().message.items).toEqual(['de-DE'])
  })
})

describe('citations in a style from a directory', () => {
  it('render through the routes, by Accept and by query', async () => {
    const byQuery = await app.inject('/works/interleukin-2-in-cancer-2005/citation?style=citeserve-test-journal')
    expect(byQuery.body).toBe('INTERLEUKIN-2 IN CANCER (2005) test-pages\n')
    const byAccept = await app.inject({
      url: '/works/interleukin-2-in-cancer-2005',
      headers: { accept: 'text/x-bibliography; style=citeserve-test; locale=en-US' },
    })
    expect(byAccept.body).toBe('INTERLEUKIN-2 IN CANCER (2005) p.\n')
    const citation = await app.inject('/works/interleukin-2-in-cancer-2005/citation?format=citation&style=citeserve-test')
    expect(citation.body).toBe('[Interleukin-2 in cancer]\n')
  })
})
