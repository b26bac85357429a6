import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CslLibrary } from '../../../src/formats/csl/library.js'
import { builtinCsl as builtinXml } from '../../../src/formats/citation-js.js'
import { UnknownOptionError } from '../../../src/formats/errors.js'
import { writeSyntheticStyles } from '../../../scripts/synthetic-styles.js'

// What searching and misspelling styles costs, counted in the work done rather than timed: the
// titles are split into words once per library, and an unknown name is compared letter by letter
// with few of the names. (The tokenizer and the edit distance are wrapped to count their calls.)

const calls = vi.hoisted(() => ({ tokenize: 0, distance: 0 }))
vi.mock(import('../../../src/catalogue/search-index.js'), async (original) => {
  const module = await original()
  return { ...module, tokenize: (text: string) => (calls.tokenize++, module.tokenize(text)) }
})
vi.mock(import('fastest-levenshtein'), async (original) => {
  const module = await original()
  return { ...module, distance: (a: string, b: string) => (calls.distance++, module.distance(a, b)) }
})

const STYLES = 10_000
let directory: string
let ids: string[]
let library: CslLibrary
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'citeserve-styles-'))
  ids = await writeSyntheticStyles(directory, STYLES)
  library = await CslLibrary.open({ builtins: builtinXml(), styleDirectories: [directory], localeDirectories: [] })
}, 60_000)
afterAll(() => rm(directory, { recursive: true }))

/** Random lower-case letters and hyphens, as a client making up style names sends. */
function randomName(length: number, seed: number): string {
  let state = seed
  return Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return 'abcdefghijklmnopqrstuvwxyz-'[state % 27]
  }).join('')
}

describe('style search', () => {
  it('splits the titles into words once, however many searches follow', async () => {
    const search = await library.styleSearch()
    search.search('warm')
    const before = calls.tokenize
    const queries = ['journal', 'american clin', 'oncology 42', 'bull', 'neuro', 'proceedings of nordic', 'a', 'zzz', 'review', 'apa']
    for (const query of queries) search.search(query)
    // One call per query, for its own words.
    expect(calls.tokenize - before).toBeLessThanOrEqual(queries.length)
  })

  it('finds the styles with a word starting with each word asked for, best first', async () => {
    const search = await library.styleSearch()
    const found = search.search('American clin ONCO').map((style) => style.id)
    const expected = ids.filter((id) => {
      const words = id.split('-')
      return ['american', 'clin', 'onco'].every((wanted) => words.some((word) => word.startsWith(wanted)))
    })
    expect(found.length).toBeGreaterThan(0)
    expect([...found].sort()).toEqual([...expected].sort())
    expect(search.search('apa')[0]?.id).toBe('apa')
    expect(search.search('').length).toBe(library.styleIds.length)
  })
})

describe('suggestions for an unknown style', () => {
  const suggestionsFor = (name: string): readonly string[] => {
    try {
      library.resolveStyle(name)
    } catch (error) {
      if (error instanceof UnknownOptionError) return error.closest
      throw error
    }
    throw new Error(`"${name}" is a style`)
  }

  it('compares a long made-up name letter by letter with few of the names, and a repeated one with none', () => {
    suggestionsFor('warm-up')
    for (let seed = 1; seed <= 20; seed++) {
      const name = randomName(60, seed)
      const before = calls.distance
      suggestionsFor(name)
      expect(calls.distance - before, name).toBeLessThan(STYLES / 20)
      const again = calls.distance
      suggestionsFor(name)
      expect(calls.distance).toBe(again)
    }
  })

  it('still finds typos and shared words', () => {
    const wanted = ids[1234] as string
    const typo = `${wanted.slice(0, 5)}${wanted.slice(6)}`
    expect(suggestionsFor(typo)).toContain(wanted)
    const shared = suggestionsFor('clinical-oncology-fantasy')
    expect(shared).toHaveLength(5)
    for (const id of shared)
      expect(
        id.split('-').some((word) => ['clinical', 'oncology'].includes(word)),
        id,
      ).toBe(true)
  })
})
