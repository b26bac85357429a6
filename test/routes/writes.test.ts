import type { LightMyRequestResponse } from 'fastify'
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { FileStore } from '../../src/catalogue/file-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { StoreUnavailableError, type CatalogueStore } from '../../src/catalogue/store.js'
import { problemSchema, type ProblemBody } from '../../src/http/problem.js'
import { AUTH, writeApp, type WriteApp } from '../fixtures/write-app.js'
import { richItem, seed } from '../fixtures/works.js'

const fish: CslItem = { id: 'fish-2021', type: 'article-journal', title: 'Fish', issued: { 'date-parts': [[2021]] } }
const json = { ...AUTH, 'content-type': 'application/json' }

function expectProblem(response: LightMyRequestResponse, status: number, type: string): ProblemBody {
  expect(response.statusCode, response.body).toBe(status)
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  const body = problemSchema.parse(response.json())
  expect(body).toMatchObject({ status, type: `/problems/${type}` })
  return body
}

let current: WriteApp | undefined
async function open(items: readonly CslItem[] = [seed, richItem], options: Parameters<typeof writeApp>[1] = {}): Promise<WriteApp> {
  current = await writeApp(items, options)
  return current
}
afterEach(async () => {
  await current?.app.close()
  current = undefined
})

/** `store` with writes that behave otherwise: slow, or failing as an unreachable database does. */
function withWrite(store: CatalogueStore, write: CatalogueStore['write']): CatalogueStore {
  return {
    find: (id) => store.find(id),
    findMany: (ids) => store.findMany(ids),
    list: (request) => store.list(request),
    scan: (query, options) => store.scan(query, options),
    types: () => store.types(),
    state: () => store.state(),
    health: () => store.health(),
    close: () => store.close(),
    write,
  }
}

const put = (app: WriteApp, id: string, item: unknown, headers: Record<string, string> = {}) =>
  app.app.inject({
    method: 'PUT',
    url: `/works/${encodeURIComponent(id)}`,
    headers: { ...json, ...headers },
    payload: JSON.stringify(item),
  })

describe('PUT /works/{id}', () => {
  it('creates a work: 201 with Location and an ETag, and the store has it', async () => {
    const app = await open()
    const response = await put(app, 'fish-2021', fish)
    expect(response.statusCode, response.body).toBe(201)
    expect(response.headers.location).toBe('/works/fish-2021')
    expect(response.headers.etag).toMatch(/^"[^"]+"$/)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.json()).toMatchObject({ status: 'ok', 'message-type': 'work', message: fish })
    expect((await app.store.find('fish-2021'))?.item).toEqual(fish)
  })

  it('takes the id from the path when the body has none, and CSL-JSON’s own media type', async () => {
    const app = await open()
    const { id: _, ...withoutId } = fish
    const response = await put(app, 'fish-2021', withoutId, { 'content-type': 'application/vnd.citationstyles.csl+json' })
    expect(response.statusCode, response.body).toBe(201)
    expect((await app.store.find('fish-2021'))?.item).toEqual(fish)
  })

  it('replaces a work without conditions (last write wins): 200 and a new ETag', async () => {
    const app = await open()
    const created = await put(app, 'fish-2021', fish)
    const replaced = await put(app, 'fish-2021', { ...fish, title: 'Fish, revised' })
    expect(replaced.statusCode).toBe(200)
    expect(replaced.headers.location).toBeUndefined()
    expect(replaced.headers.etag).not.toBe(created.headers.etag)
    expect((await app.store.find('fish-2021'))?.item.title).toBe('Fish, revised')
  })

  it('replaces with If-Match only while the work is as it was: 412 once it changed', async () => {
    const app = await open()
    const { etag } = (await put(app, 'fish-2021', fish)).headers
    const other = await put(app, 'fish-2021', { ...fish, title: 'Someone else’s edit' })
    const stale = await put(app, 'fish-2021', { ...fish, title: 'My edit' }, { 'if-match': String(etag) })
    const problem = expectProblem(stale, 412, 'precondition-failed')
    expect(problem.detail).toContain(String(other.headers.etag))
    expect((await app.store.find('fish-2021'))?.item.title).toBe('Someone else’s edit')

    const fresh = await put(app, 'fish-2021', { ...fish, title: 'My edit' }, { 'if-match': String(other.headers.etag) })
    expect(fresh.statusCode).toBe(200)
    expect((await app.store.find('fish-2021'))?.item.title).toBe('My edit')
    // The tag of a compressed answer stands for the same state; a weak tag never matches.
    const tag = String(fresh.headers.etag)
    const coded = await put(app, 'fish-2021', fish, { 'if-match': `${tag.slice(0, -1)}-br"` })
    expect(coded.statusCode).toBe(200)
    expectProblem(await put(app, 'fish-2021', fish, { 'if-match': `W/${String(coded.headers.etag)}` }), 412, 'precondition-failed')
  })

  it('answers If-Match for a work that does not exist with 412', async () => {
    const app = await open()
    expectProblem(await put(app, 'fish-2021', fish, { 'if-match': '*' }), 412, 'precondition-failed')
    expect(await app.store.find('fish-2021')).toBeUndefined()
  })

  it('creates only with If-None-Match: *, and refuses (412) when the work exists', async () => {
    const app = await open()
    expect((await put(app, 'fish-2021', fish, { 'if-none-match': '*' })).statusCode).toBe(201)
    expectProblem(await put(app, 'fish-2021', { ...fish, title: 'Again' }, { 'if-none-match': '*' }), 412, 'precondition-failed')
    expect((await app.store.find('fish-2021'))?.item.title).toBe('Fish')
    expectProblem(await put(app, 'fish-2021', fish, { 'if-none-match': '"abc"' }), 400, 'invalid-parameter')
  })

  it('refuses an invalid record with 422 listing every field in error, as the start-up error does', async () => {
    const app = await open()
    const response = await put(app, 'bad-1', { id: 'bad-1', type: 'no-such-type', title: 7, author: [{ family: 1 }], colour: 'red' })
    const problem = expectProblem(response, 422, 'invalid-record')
    expect(problem.records?.map((record) => record.field).sort()).toEqual(['author[0].family', 'colour', 'title', 'type'])
    expect(problem.detail).toContain('record 0 (id "bad-1"): field "colour": is not a CSL-JSON variable')
    expect(await app.store.find('bad-1')).toBeUndefined()
  })

  it('refuses a body whose id is not the path’s, and a body that is not one object', async () => {
    const app = await open()
    const problem = expectProblem(await put(app, 'fish-2021', { ...fish, id: 'other' }), 422, 'invalid-record')
    expect(problem.records).toEqual([expect.objectContaining({ field: 'id' })])
    expectProblem(await put(app, 'fish-2021', [fish]), 422, 'invalid-record')
    expect(await app.store.find('fish-2021')).toBeUndefined()
    expect(await app.store.find('other')).toBeUndefined()
  })

  it('refuses a DOI another work has with 409 naming that work', async () => {
    const app = await open()
    const problem = expectProblem(await put(app, 'fish-2021', { ...fish, DOI: richItem.DOI }), 409, 'record-conflict')
    expect(problem.conflict).toEqual({ field: 'DOI', work: richItem.id })
    expect(problem.detail).toContain(`"${String(richItem.id)}"`)
  })

  it('refuses malformed JSON (400), other media types (415) and bodies over WRITE_MAX_BYTES (413)', async () => {
    const app = await open([seed], { env: { WRITE_MAX_BYTES: '2048' } })
    expectProblem(await app.app.inject({ method: 'PUT', url: '/works/x', headers: json, payload: '{"id": ' }), 400, 'malformed-request')
    const text = await app.app.inject({ method: 'PUT', url: '/works/x', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'x' })
    expectProblem(text, 415, 'unsupported-media-type')
    const large = await put(app, 'fish-2021', { ...fish, abstract: 'a'.repeat(4000) })
    expect(expectProblem(large, 413, 'content-too-large').detail).toContain('2048 bytes')
    expect(await app.store.find('fish-2021')).toBeUndefined()
  })

  it('answers a write the store takes longer than REQUEST_TIMEOUT over with 503, as a read', async () => {
    const store = await FileStore.fromItems([seed])
    const slow = await open([seed], {
      env: { REQUEST_TIMEOUT: '1' },
      store: withWrite(store, (changes) => delay(1500).then(() => store.write(changes))),
    })
    const started = performance.now()
    expectProblem(await put(slow, 'fish-2021', fish), 503, 'response-timeout')
    expect(performance.now() - started).toBeLessThan(1400)
  })

  it('answers 503 with Retry-After when the store cannot take writes', async () => {
    const store = await FileStore.fromItems([seed])
    const down = await open([seed], {
      store: withWrite(store, () => Promise.reject(new StoreUnavailableError('connection refused'))),
    })
    const response = await put(down, 'fish-2021', fish)
    // The database's reason is for the log, not for clients.
    expect(expectProblem(response, 503, 'catalogue-unavailable').detail).not.toContain('connection refused')
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0)
  })
})

describe('DELETE /works/{id}', () => {
  it('deletes a work (204), and then answers 404', async () => {
    const app = await open()
    const response = await app.app.inject({ method: 'DELETE', url: `/works/${String(richItem.id)}`, headers: AUTH })
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
    expect(await app.store.find(String(richItem.id))).toBeUndefined()
    const again = await app.app.inject({ method: 'DELETE', url: `/works/${String(richItem.id)}`, headers: AUTH })
    expectProblem(again, 404, 'not-found')
  })

  it('deletes with If-Match only while the work is as it was', async () => {
    const app = await open()
    const { etag } = (await put(app, 'fish-2021', fish)).headers
    await put(app, 'fish-2021', { ...fish, title: 'Changed' })
    const stale = await app.app.inject({ method: 'DELETE', url: '/works/fish-2021', headers: { ...AUTH, 'if-match': String(etag) } })
    expectProblem(stale, 412, 'precondition-failed')
    expect(await app.store.find('fish-2021')).toBeDefined()
  })
})

describe('POST /works', () => {
  const post = (app: WriteApp, body: unknown, headers: Record<string, string> = {}) =>
    app.app.inject({ method: 'POST', url: '/works', headers: { ...json, ...headers }, payload: JSON.stringify(body) })
  const more = [fish, { id: 'chips-2022', type: 'book', title: 'Chips' }] satisfies CslItem[]

  it('writes every work of the array: 201, each with its outcome, URL and ETag', async () => {
    const app = await open()
    const response = await post(app, [...more, { ...seed, title: 'Interleukin-2, revised' }])
    expect(response.statusCode, response.body).toBe(201)
    const { items } = response.json<{ message: { items: { id: string; outcome: string; location: string; etag: string }[] } }>().message
    expect(items.map(({ id, outcome }) => [id, outcome])).toEqual([
      ['fish-2021', 'created'],
      ['chips-2022', 'created'],
      [seed.id, 'replaced'],
    ])
    expect(items[0]?.location).toBe('/works/fish-2021')
    for (const { id } of items) expect(await app.store.find(id)).toBeDefined()
  })

  it('writes nothing when one record is invalid, and lists every field of every record in error', async () => {
    const app = await open()
    const response = await post(app, [fish, { id: 'bad', type: 'book', title: 1 }, { type: 'nope' }, { ...fish, title: 'dup' }])
    const problem = expectProblem(response, 422, 'invalid-record')
    expect(problem.records?.map(({ index, field }) => `${index}:${field}`).sort()).toEqual(['1:title', '2:id', '2:type', '3:id'])
    expect(await app.store.find('fish-2021')).toBeUndefined()
  })

  it('writes nothing when one work clashes with another (409)', async () => {
    const app = await open()
    expectProblem(await post(app, [fish, { ...more[1], DOI: richItem.DOI }]), 409, 'record-conflict')
    expect(await app.store.find('fish-2021')).toBeUndefined()
  })

  it('creates only with If-None-Match: *, writing nothing if one exists', async () => {
    const app = await open()
    expectProblem(await post(app, [fish, seed], { 'if-none-match': '*' }), 412, 'precondition-failed')
    expect(await app.store.find('fish-2021')).toBeUndefined()
  })

  it('takes at most WRITE_MAX_WORKS works (413), and no empty array', async () => {
    const app = await open([seed], { env: { WRITE_MAX_WORKS: '1' } })
    expectProblem(await post(app, more), 413, 'content-too-large')
    expectProblem(await post(app, []), 422, 'invalid-record')
    expect(await app.store.find('fish-2021')).toBeUndefined()
    const one = await post(app, [fish])
    expect(one.statusCode).toBe(201)
    expect(one.headers.location).toBe('/works/fish-2021')
  })
})
