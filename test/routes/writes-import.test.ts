import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { parse as parseRis } from 'astrocite-ris'
import type { LightMyRequestResponse } from 'fastify'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { importReportSchema, type ImportReportBody } from '../../src/http/import-report.js'
import { problemSchema, type ProblemBody } from '../../src/http/problem.js'
import { AUTH, writeApp, type WriteApp } from '../fixtures/write-app.js'
import { seed } from '../fixtures/works.js'

// POST /works with a body in an import format: the importer over HTTP, into the store in one write.

const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8')
const BIBTEX = fixture('library.bib')
const RIS = fixture('library.ris')
const ENDNOTE = fixture('library.enw')
const ZOTERO = fixture('zotero.json')
const DATACITE = fixture('datacite.json')

let current: WriteApp | undefined
async function open(items: readonly CslItem[] = [seed], options: Parameters<typeof writeApp>[1] = {}): Promise<WriteApp> {
  current = await writeApp(items, options)
  return current
}
afterEach(async () => {
  await current?.app.close()
  current = undefined
})

const post = (app: WriteApp, type: string, payload: string, query = '', headers: Record<string, string> = {}) =>
  app.app.inject({ method: 'POST', url: `/works${query}`, headers: { ...AUTH, 'content-type': type, ...headers }, payload })

function report(response: LightMyRequestResponse, status: number): ImportReportBody {
  expect(response.statusCode, response.body).toBe(status)
  const body = response.json<{ 'message-type': string; message: unknown }>()
  expect(body['message-type']).toBe('work-import')
  return importReportSchema.parse(body.message)
}

function problem(response: LightMyRequestResponse, status: number, type: string): ProblemBody {
  expect(response.statusCode, response.body).toBe(status)
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  const body = problemSchema.parse(response.json())
  expect(body.type).toBe(`/problems/${type}`)
  return body
}

describe('POST /works with records to import', () => {
  it('imports BibTeX: 201 with the report, and the stored records read as an independent parser reads the file', async () => {
    const app = await open()
    const result = report(await post(app, 'application/x-bibtex', BIBTEX), 201)
    expect(result.totals).toEqual({ added: 3, updated: 0, unchanged: 0, skipped: 0, rejected: 0 })
    expect(result.written).toBe(true)
    expect(result.records.map(({ id, outcome, source, record }) => [id, outcome, source, record])).toEqual([
      ['berg2020', 'added', 'body', 1],
      ['smith1999', 'added', 'body', 2],
      ['okafor2019', 'added', 'body', 3],
    ])
    expect(result.records[0]?.notCarried).toEqual([{ field: 'indextitle', reason: expect.stringContaining('custom.bibtex') }])

    const independent = parseBibtex(BIBTEX)
    for (const entry of independent.entries) {
      const stored = (await app.store.find(entry.key))?.item
      // bibtex-parser marks protected case with HTML and sentence-cases the rest: compared without either.
      expect(stored?.title?.toLowerCase(), entry.key).toBe(entry.fields.title?.replace(/<[^>]+>/g, '').toLowerCase())
      const nfc = (names: (string | undefined)[] | undefined) => names?.map((name) => name?.normalize('NFC'))
      expect(nfc(stored?.author?.map((name) => name.family))).toEqual(nfc(entry.fields.author?.map((creator) => creator.lastName)))
    }
    const berg = (await app.store.find('10.1234/abc.def'))?.item
    expect(berg).toMatchObject({ 'container-title': 'Journal of Awkward Text', page: '100-110', DOI: '10.1234/ABC.def' })
    expect((await app.store.find('okafor2019'))?.item.DOI).toBe('10.5555/ends.with.dot.')
    // The importer reports; the write plugin logs each work with its outcome.
    expect(app.writes().at(-1)).toMatchObject({ tokenName: 'editor', status: 201, works: expect.arrayContaining([{ id: 'berg2020', outcome: 'added' }]) })
  })

  it('imports RIS, EndNote, CSL-JSON as Zotero writes it, and DataCite JSON, each by its media type', async () => {
    const app = await open()
    const ris = report(await post(app, 'application/x-research-info-systems', RIS), 201)
    expect(ris.totals.added).toBe(2)
    const [independent] = parseRis(RIS)
    const fish = (await app.store.find('10.1234/abc.def'))?.item
    expect(fish).toMatchObject({ title: independent?.title, DOI: '10.1234/abc.DEF' })
    expect((await app.store.find('nakamura-2018'))?.item.title).toBe('書籍の題名')

    const endnote = report(await post(app, 'application/x-endnote-refer; charset=utf-8', ENDNOTE), 201)
    expect(endnote.records.map(({ id }) => id)).toEqual(['okafor-2019-first', 'lind-2001-nordic'])
    expect((await app.store.find('lind-2001-nordic'))?.item).toMatchObject({ type: 'book', publisher: 'Fisk Forlag' })

    const zotero = report(await post(app, 'application/vnd.citationstyles.csl+json', ZOTERO), 201)
    expect(zotero.records[0]?.renamed.map(({ to }) => to).sort()).toEqual(['article-journal', 'event-title', 'original-date', 'publisher-place'])
    expect((await app.store.find('zotero-1'))?.item).toMatchObject({ type: 'article-journal', 'event-title': 'A Conference' })

    const datacite = report(await post(app, 'application/vnd.api+json', DATACITE), 201)
    expect(datacite.records[0]?.outcome).toBe('added')
    expect((await app.store.find('10.5061/dryad.8515'))?.item).toMatchObject({ type: 'dataset', publisher: 'Dryad' })
  })

  it('matches by DOI: a differing record refuses the whole request (422 with the report) unless on-conflict says otherwise', async () => {
    const app = await open()
    report(await post(app, 'application/x-bibtex', BIBTEX), 201)
    const before = (await app.store.find('berg2020'))?.version

    const refused = problem(await post(app, 'application/x-research-info-systems', RIS), 422, 'records-rejected')
    expect(refused.report?.totals).toMatchObject({ added: 1, rejected: 1 })
    expect(refused.report?.records[0]).toMatchObject({ outcome: 'rejected', id: 'berg2020', reason: expect.stringContaining('DOI of work berg2020') })
    expect(refused.report?.written).toBe(false)
    expect(await app.store.find('nakamura-2018')).toBeUndefined()
    expect(app.writes().at(-1)).toMatchObject({ status: 422, works: expect.arrayContaining([{ id: 'berg2020', outcome: 'records-rejected' }]) })

    const allowed = report(await post(app, 'application/x-research-info-systems', RIS, '?allow-rejects=true'), 201)
    expect(allowed.totals).toMatchObject({ added: 1, rejected: 1 })
    expect(await app.store.find('nakamura-2018')).toBeDefined()

    const skipped = report(await post(app, 'application/x-research-info-systems', RIS, '?on-conflict=skip'), 200)
    expect(skipped.totals).toMatchObject({ skipped: 1, unchanged: 1 })
    expect((await app.store.find('berg2020'))?.version).toBe(before)

    const replaced = report(await post(app, 'application/x-research-info-systems', RIS, '?on-conflict=replace'), 200)
    expect(replaced.records[0]).toMatchObject({ outcome: 'updated', id: 'berg2020' })
    expect((await app.store.find('berg2020'))?.item.title).toBe('Fish and chips, revised')

    // The same file again: nothing differs.
    expect(report(await post(app, 'application/x-bibtex', BIBTEX, '?on-conflict=skip'), 200).totals).toMatchObject({ unchanged: 2 })
  })

  it('dry-run reports and writes nothing', async () => {
    const app = await open()
    const before = await app.store.state()
    const result = report(await post(app, 'application/x-bibtex', BIBTEX, '?dry-run=true'), 200)
    expect(result).toMatchObject({ written: false, totals: { added: 3 } })
    expect(await app.store.find('berg2020')).toBeUndefined()
    expect((await app.store.state()).version).toBe(before.version)
  })

  it('refuses an unsupported media type with 415 listing those POST takes, and keeps JSON arrays as they were', async () => {
    const app = await open()
    const refused = problem(await post(app, 'text/plain', BIBTEX), 415, 'unsupported-media-type')
    expect(refused.available).toEqual(expect.arrayContaining(['application/json', 'application/x-bibtex', 'application/x-research-info-systems']))
    const put = await app.app.inject({ method: 'PUT', url: '/works/x', headers: { ...AUTH, 'content-type': 'application/x-bibtex' }, payload: BIBTEX })
    expect(problem(put, 415, 'unsupported-media-type').available).toEqual(['application/json', 'application/vnd.citationstyles.csl+json'])

    const json = await post(app, 'application/json', JSON.stringify([{ id: 'fish', type: 'book', title: 'Fish' }]))
    expect(json.statusCode, json.body).toBe(201)
    expect(json.json()).toMatchObject({ 'message-type': 'work-write', message: { items: [{ id: 'fish', outcome: 'created' }] } })
    const withOption = problem(await post(app, 'application/json', '[]', '?on-conflict=replace'), 400, 'invalid-parameter')
    expect(withOption.errors?.[0]).toMatchObject({ in: 'query', name: 'on-conflict' })
    expect(problem(await post(app, 'application/x-bibtex', BIBTEX, '?on-conflict=maybe'), 400, 'invalid-parameter').errors?.[0]?.name).toBe(
      'on-conflict',
    )
  })

  it('is a write: a token is needed, and WRITE_MAX_BYTES and WRITE_MAX_WORKS hold', async () => {
    const app = await open([seed], { env: { WRITE_MAX_WORKS: '2', WRITE_MAX_BYTES: '2048' } })
    const anonymous = await app.app.inject({ method: 'POST', url: '/works', headers: { 'content-type': 'application/x-bibtex' }, payload: BIBTEX })
    problem(anonymous, 401, 'unauthorized')
    expect(problem(await post(app, 'application/x-bibtex', BIBTEX), 413, 'content-too-large').detail).toContain('at most 2 records')
    expect(await app.store.find('berg2020')).toBeUndefined()
    problem(await post(app, 'application/x-bibtex', `${BIBTEX}\n% ${'x'.repeat(2048)}`), 413, 'content-too-large')
  })

  it('is allowed from a browser only from the origins WRITE_CORS_ORIGINS names', async () => {
    const app = await open([seed], { env: { WRITE_CORS_ORIGINS: 'https://editor.example' } })
    const allowed = await post(app, 'application/x-bibtex', BIBTEX, '', { origin: 'https://editor.example' })
    expect(allowed.statusCode).toBe(201)
    expect(allowed.headers['access-control-allow-origin']).toBe('https://editor.example')
    problem(await post(app, 'application/x-bibtex', BIBTEX, '', { origin: 'https://elsewhere.example' }), 403, 'origin-not-allowed')
  })
})
