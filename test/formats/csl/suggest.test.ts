import { describe, expect, it } from 'vitest'
import { closest } from '../../../src/formats/csl/suggest.js'

const ids = [
  'apa',
  'ieee',
  'nature',
  'chicago-author-date',
  'chicago-note-bibliography',
  'modern-language-association',
  'vancouver',
  'c',
  'age',
]

describe('closest', () => {
  it('prefers ids that start with or contain what was asked for', () => {
    expect(closest('chicago', ids)).toEqual(['chicago-author-date', 'chicago-note-bibliography'])
    expect(closest('language', ids)).toEqual(['modern-language-association'])
  })

  it('finds typos by edit distance', () => {
    expect(closest('vancuver', ids)).toEqual(['vancouver'])
    expect(closest('natrue', ids)).toEqual(['nature'])
  })

  it('falls back to ids sharing a word, and suggests nothing unrelated', () => {
    expect(closest('chicago-fantasy-style', ids)).toEqual(['chicago-author-date', 'chicago-note-bibliography'])
    expect(closest('zzzzzzzz', ids)).toEqual([])
  })
})
