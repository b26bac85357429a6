import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { MemoryQueryIndex } from '../../src/catalogue/query/memory-index.js'
import { CachingTokenizer, tokenize } from '../../src/catalogue/search-index.js'
import type { StoredWork } from '../../src/catalogue/store.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'

/** What the index must answer, computed the slow way: every record scanned with `tokenize`. */
function scan(items: readonly CslItem[], query: string): number[] {
  // No query at all asks for everything; one without words (only punctuation) matches nothing.
  if (query.trim() === '') return items.map((_, position) => position)
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
/** The file store's query index of the records, answering with the positions of the records that hold every word of a query. */
async function indexOf(items: readonly CslItem[], pause?: () => Promise<void>): Promise<(query: string) => number[]> {
  const works: StoredWork[] = items.map((item, index) => ({
    id: String(index),
    key: String(index),
    item,
    seq: index,
    version: '',
    modified: new Date(0),
  }))
  const index = await MemoryQueryIndex.build(works, pause)
  return (query) => index.matching({ text: query }).map((work) => work.seq)
}

const match = async (items: readonly CslItem[], query: string, pause?: () => Promise<void>): Promise<number[]> =>
  (await indexOf(items, pause))(query)

// The index knows records by position only, so every generated record may share one id.
const item = fc
  .record({ title: text, abstract: text, given: text, family: text })
  .map(({ title, abstract, given, family }): CslItem => ({ id: 'r', type: 'book', title, abstract, author: [{ given, family }] }))

describe('every-word search', () => {
  it('answers every query as a scan of every record would, accents, case and scripts included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 8 }), fc.oneof(text, fc.constantFrom(...WORDS)), async (items, query) => {
        expect(await match(items, query)).toEqual(scan(items, query))
      }),
      { seed: 5, numRuns: 300 },
    )
  })

  // ASCII text and text with other characters part way: accents combining across a word's end,
  // upper case, punctuation, other spaces.
  const fragment = fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 6 }),
    fc.constantFrom(...WORDS, '\u0301', '\u0308x', 'İ', 'Σ', '\u00a0', 'ǅ', '①', 'K'),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  )
  const mixedText = fc.array(fragment, { maxLength: 10 }).map((parts) => parts.join(''))

  it('tokenizes each text into the words tokenize finds, in order, each occurrence once', () => {
    const tokenizer = new CachingTokenizer()
    fc.assert(
      fc.property(mixedText, (text) => {
        const visited: string[] = []
        tokenizer.forEachToken(text, (token) => visited.push(token))
        expect(visited).toEqual(tokenize(text))
      }),
      { seed: 11, numRuns: 2000 },
    )
  })

  it('posts exactly the words tokenize finds, for ASCII text, other text and ASCII text that turns into other text', async () => {
    const mixedItem = fc
      .record({ title: mixedText, abstract: mixedText, family: mixedText })
      .map(({ title, abstract, family }): CslItem => ({ id: 'r', type: 'book', title, abstract, editor: [{ family }] }))
    await fc.assert(
      fc.asyncProperty(fc.array(mixedItem, { minLength: 1, maxLength: 6 }), async (items) => {
        const texts = items.flatMap((item) => [item.title ?? '', item.abstract ?? '', item.editor?.[0]?.family ?? ''])
        // Every word of the texts, and every run of ASCII letters and digits in them: the words the
        // ASCII scan could post wrongly.
        const words = new Set(texts.flatMap((text) => [...tokenize(text), ...(text.toLowerCase().match(/[a-z0-9]+/g) ?? [])]))
        const matching = await indexOf(items)
        for (const word of words) {
          const expected = items.flatMap((item, position) =>
            [item.title, item.abstract, item.editor?.[0]?.family].some((text) => tokenize(text ?? '').includes(word)) ? [position] : [],
          )
          expect(matching(word), word).toEqual(expected)
        }
      }),
      { seed: 7, numRuns: 500 },
    )
  })

  it('folds case and accents and keeps each record once per word', async () => {
    const items: CslItem[] = [
      { id: 'a', type: 'book', title: 'Müller and MÜLLER', abstract: 'muller' },
      { id: 'b', type: 'book', title: 'Fish', author: [{ family: 'Ng' }] },
    ]
    expect(await match(items, 'muller')).toEqual([0])
    expect(await match(items, 'FISH ng')).toEqual([1])
    expect(await match(items, 'fish muller')).toEqual([])
  })

  it('builds the same index in slices, pausing between them', async () => {
    const items = syntheticCatalogue(2500)
    let pauses = 0
    for (const query of ['melanoma', 'müller cytokines', 'coral reefs anna', 'nothing-like-this']) {
      const sliced = await match(items, query, async () => {
        pauses++
      })
      expect(sliced).toEqual(scan(items, query))
    }
    expect(pauses).toBe(8)
    expect((await match(items, 'melanoma')).length).toBeGreaterThan(100)
  })
})
