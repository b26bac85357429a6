import { describe, expect, it } from 'vitest'
import { ReplayStore } from '../../src/http/replay-store.js'

describe('the replay store', () => {
  it('finds nothing kept on an older catalogue generation, and keeps nothing of a request that began on one', () => {
    let generation = 1
    const store = new ReplayStore(10, () => generation)
    const answer = { route: '/a', headers: {}, body: 'a', etag: '"a"', lastModified: new Date(0) }
    store.keep('/a', {}, 1, answer)
    expect(store.find('/a', {})?.body).toBe('a')
    expect(store.find('/a', { accept: 'text/plain' })).toBeUndefined()
    generation = 2
    expect(store.find('/a', {})).toBeUndefined()
    store.keep('/a', {}, 1, answer)
    expect(store.find('/a', {})).toBeUndefined()
    store.keep('/a', {}, 2, answer)
    expect(store.find('/a', {})?.body).toBe('a')
  })

  it('keeps the headers of a 200 and of a 304 ready to write, the 304’s without those of content', () => {
    const store = new ReplayStore(10, () => 1)
    const headers = { 'content-type': 'text/plain', 'content-disposition': 'attachment', etag: '"a"', vary: 'Accept' }
    store.keep('/a', {}, 1, { route: '/a', headers, body: 'ü', etag: '"a"', lastModified: new Date(0) })
    const kept = store.find('/a', {})
    expect(kept?.headersOf200).toEqual([...Object.entries(headers).flat(), 'content-length', '2'])
    expect(kept?.headersOf304).toEqual(['etag', '"a"', 'vary', 'Accept'])
  })

  it('evicts the least recently used answer beyond its size', () => {
    const store = new ReplayStore(2, () => 1)
    const answer = { route: '/', headers: {}, body: '', etag: '"x"', lastModified: new Date(0) }
    for (const url of ['/1', '/2']) store.keep(url, {}, 1, answer)
    store.find('/1', {})
    store.keep('/3', {}, 1, answer)
    expect(['/1', '/2', '/3'].map((url) => store.find(url, {}) !== undefined)).toEqual([true, false, true])
  })
})
