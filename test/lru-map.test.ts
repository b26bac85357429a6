import { describe, expect, it } from 'vitest'
import { LruMap } from '../src/lru-map.js'

describe('LruMap', () => {
  it('keeps at most its capacity, evicting the entry least recently read or written', () => {
    const map = new LruMap<string, number>(3)
    map.set('a', 1)
    map.set('b', 2)
    map.set('c', 3)
    expect(map.get('a')).toBe(1) // a is now the most recent: b is the least
    map.set('d', 4)
    expect(map.size).toBe(3)
    expect(map.get('b')).toBeUndefined()
    map.set('c', 30) // writing c again makes it the most recent: a is the least
    map.set('e', 5)
    expect(map.get('a')).toBeUndefined()
    expect([map.get('c'), map.get('d'), map.get('e')]).toEqual([30, 4, 5])
    map.clear()
    expect(map.size).toBe(0)
  })
})
