import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileStore, type ReloadResult } from '../../src/catalogue/file-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import type { StoredWork } from '../../src/catalogue/store.js'
import { publish } from '../fixtures/data-file.js'

const book = (id: string, title = `Title of ${id}`): CslItem => ({ id, type: 'book', title })
const LONG_AGO = new Date('2020-01-02T03:04:05Z')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let directory: string
let file: string
let store: FileStore | undefined

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'citeserve-data-file-'))
  file = join(directory, 'works.json')
})
afterEach(async () => {
  await store?.close()
  store = undefined
  await rm(directory, { recursive: true, force: true })
})

async function storeOn(items: readonly CslItem[], options: { watchMs?: number; onReloading?: (cause: string) => void } = {}) {
  await writeFile(file, JSON.stringify(items))
  await utimes(file, LONG_AGO, LONG_AGO)
  store = await FileStore.open({ file, ...options })
  return store
}

const fileIds = async () => (JSON.parse(await readFile(file, 'utf8')) as CslItem[]).map((item) => item.id)

describe('the file store’s data file', () => {
  it('dates every work by the file’s modification time when it is first read', async () => {
    const opened = await storeOn([book('a'), book('b')])
    expect((await opened.find('a'))?.modified).toEqual(LONG_AGO)
    expect((await opened.state()).modified).toEqual(LONG_AGO)
  })

  it('holds every acknowledged write in the file, in catalogue order, with no temporary file left', async () => {
    const opened = await storeOn([book('a'), book('b'), book('c')])
    await opened.write([
      { kind: 'put', item: book('d') },
      { kind: 'delete', id: 'b' },
      { kind: 'put', item: book('a', 'Changed') },
    ])
    expect(await fileIds()).toEqual(['a', 'c', 'd'])
    expect((JSON.parse(await readFile(file, 'utf8')) as CslItem[])[0]?.title).toBe('Changed')
    expect(await readdir(directory)).toEqual(['works.json'])
    // What another process starting now would serve.
    const reopened = await FileStore.open({ file })
    expect((await reopened.list({ query: {}, rows: 10 })).works.map((work) => work.item)).toEqual(
      (await opened.list({ query: {}, rows: 10 })).works.map((work) => work.item),
    )
    await reopened.close()
  })

  it('acknowledges no write it could not make durable, and serves on without it', async () => {
    const opened = await storeOn([book('a')])
    await rm(directory, { recursive: true, force: true })
    await expect(opened.write([{ kind: 'put', item: book('b') }])).rejects.toThrow(/ENOENT/)
    expect(await opened.find('b')).toBeUndefined()
    expect((await opened.state()).works).toBe(1)
  })

  it('keeps seqs, versions and times of change of unchanged works across a reload, and dates changed ones by the reload', async () => {
    const opened = await storeOn([book('a'), book('b'), book('c')])
    const [a, b, c] = (await opened.findMany(['a', 'b', 'c'])) as [StoredWork, StoredWork, StoredWork]
    const before = await opened.state()
    await publish(file, JSON.stringify([book('d'), book('c', 'Changed'), book('a')]))
    // A replacement dated before the file it replaces (cp -p, rsync, a rollback) moves no date back.
    await utimes(file, new Date('2010-01-01T00:00:00Z'), new Date('2010-01-01T00:00:00Z'))
    const reloadStarted = Date.now()
    expect(await opened.reload('test')).toMatchObject({ ok: true, works: 3 })
    const after = (await opened.list({ query: {}, rows: 10 })).works
    expect(after.map((work) => work.id)).toEqual(['a', 'c', 'd'])
    const [a2, c2, d] = after as [StoredWork, StoredWork, StoredWork]
    expect([a2.seq, a2.version, a2.modified]).toEqual([a.seq, a.version, a.modified])
    expect(c2.seq).toBe(c.seq)
    expect(c2.version).not.toBe(c.version)
    expect(c2.modified.getTime()).toBeGreaterThanOrEqual(reloadStarted)
    expect(d.seq).toBeGreaterThan(Math.max(a.seq, b.seq, c.seq))
    const state = await opened.state()
    expect(state.version).not.toBe(before.version)
    expect(state.modified.getTime()).toBeGreaterThanOrEqual(c2.modified.getTime())
  })

  it('changes nothing on reloading the same records, not even the state version', async () => {
    const opened = await storeOn([book('a'), book('b')])
    const before = await opened.state()
    await publish(file, JSON.stringify([book('a'), book('b')]))
    expect((await opened.reload('test')).ok).toBe(true)
    expect(await opened.state()).toEqual(before)
  })

  it('refuses an invalid file on reload and serves on with the records it had', async () => {
    const opened = await storeOn([book('a')])
    await publish(file, JSON.stringify([book('a'), { id: 'b', type: 'nonsense' }]))
    const result = await opened.reload('test')
    expect(result.ok).toBe(false)
    expect(String((result as { error: unknown }).error)).toContain('record 1 (id "b"): field "type"')
    expect((await opened.state()).works).toBe(1)
  })

  it('loses no write to a reload asked for while it runs, nor a reload to a write', async () => {
    const opened = await storeOn(Array.from({ length: 2000 }, (_, index) => book(`w${index}`)))
    const writing = opened.write([{ kind: 'put', item: book('new') }])
    const reloading = opened.reload('SIGHUP')
    const [outcomes, reloaded] = await Promise.all([writing, reloading])
    expect(outcomes[0]?.outcome).toBe('created')
    expect(reloaded.ok).toBe(true)
    expect(await opened.find('new')).toBeDefined()
    // And a file published before a write: the reload asked for first is applied first.
    await publish(file, JSON.stringify([...(JSON.parse(await readFile(file, 'utf8')) as CslItem[]), book('published')]))
    await Promise.all([opened.reload('SIGHUP'), opened.write([{ kind: 'put', item: book('written') }])])
    expect(await opened.findMany(['new', 'published', 'written'])).not.toContain(undefined)
    expect(await fileIds()).toEqual(expect.arrayContaining(['new', 'published', 'written']))
  })

  it('shares one reload among the calls that wait for it', async () => {
    const opened = await storeOn([book('a')])
    const results: ReloadResult[] = await Promise.all([opened.reload('one'), opened.reload('two'), opened.reload('three')])
    // The first starts at once; the two that come while it waits share the next.
    expect(results[1]).toBe(results[2])
  })
})

describe('the file store’s watcher (DATA_WATCH_MS)', () => {
  it('reloads a file replaced from outside, but not after the store’s own writes', async () => {
    const causes: string[] = []
    const opened = await storeOn([book('a')], { watchMs: 50, onReloading: (cause) => causes.push(cause) })
    await opened.write([{ kind: 'put', item: book('b') }])
    await sleep(400)
    expect(causes).toEqual([])
    await publish(file, JSON.stringify([book('a'), book('b'), book('c')]))
    for (let waited = 0; waited < 5000 && (await opened.find('c')) === undefined; waited += 50) await sleep(50)
    expect(causes).toEqual(['file changed'])
    expect((await opened.state()).works).toBe(3)
  })
})
