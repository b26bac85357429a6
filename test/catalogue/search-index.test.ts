import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { SearchIndex, tokenize } from '../../src/catalogue/search-index.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'

/** What the index must answer, computed the slow way: every record scanned with `tokenize`. */
function scan(items: readonly CslItem[], query: string): number[] {
  const words = tokenize(query)
  if (words.length === 0) return []
  return items.flatMap((item, position) => {
    const names = (item.author ?? []).flatMap((name) => [name.given, name.family, name.literal])
    const tokens = new Set(tokenize([item.title, item.abstract, ...names].filter((part) => part !== undefined).join(' ')))
    return words.every((word) => tokens.has(word)) ? [position] : []
  })
}

const WORDS = [
  'Müller',
  'muller',
  'ΣΟΦΙΑΣ',
  'σοφιας',
  'caf\u0065\u0301',
  'café',
  'ﬁsh',
  'fish',
  '山田',
  'x²',
  'x2',
  'Straße',
  'A.B',
  'O’Brien',
  'COVID-19',
  '2009',
  'Z0a9',
]
const text = fc
  .array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ unit: 'grapheme', maxLength: 5 })), { maxLength: 8 })
  .map((words) => words.join(' '))
// The index knows records by position only, so every generated record may share one id.
const item = fc
  .record({ title: text, abstract: text, given: text, family: text })
  .map(({ title, abstract, given, family }): CslItem => ({ id: 'r', type: 'book', title, abstract, author: [{ given, family }] }))

describe('SearchIndex', () => {
  it('answers every query as a scan of every record would, accents, case and scripts included', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), fc.oneof(text, fc.constantFrom(...WORDS)), (items, query) => {
        expect(new SearchIndex(items).match(query)).toEqual(scan(items, query))
      }),
      { seed: 5, numRuns: 300 },
    )
  })

  it('folds case and accents and keeps each record once per word', () => {
    const items: CslItem[] = [
      { id: 'a', type: 'book', title: 'Müller and MÜLLER', abstract: 'muller' },
      { id: 'b', type: 'book', title: 'Fish', author: [{ family: 'Ng' }] },
    ]
    const index = new SearchIndex(items)
    expect(index.match('muller')).toEqual([0])
    expect(index.match('FISH ng')).toEqual([1])
    expect(index.match('fish muller')).toEqual([])
  })

  it('builds the same index in slices, pausing between them', async () => {
    const items = syntheticCatalogue(2500)
    let pauses = 0
    const sliced = await SearchIndex.build(items, async () => {
      pauses++
    })
    const whole = new SearchIndex(items)
    expect(pauses).toBe(2)
    for (const query of ['melanoma', 'müller cytokines', 'coral reefs anna', 'nothing-like-this']) {
      expect(sliced.match(query)).toEqual(whole.match(query))
    }
    expect(sliced.match('melanoma').length).toBeGreaterThan(100)
  })
})
