import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { worksOf } from '../fixtures/works.js'

describe('citation keys of records', () => {
  it('keeps an id that is a BibTeX-safe key as its key, and makes one of any other id', () => {
    // The keys the service derives, spelt out: NFKD, accents dropped, unsafe runs to "-", no "-" at either end.
    const slowKey = (id: string) =>
      id
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .replace(/[^A-Za-z0-9_.:+-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'work'
    const id = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_.:+-]{1,12}$/),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('-', 'a', '-a', 'a-', 'a-b', 'Łódź', 'é', 'x y', ''),
    )
    fc.assert(
      fc.property(id, (value) => {
        fc.pre(value !== '')
        expect(worksOf({ id: value, type: 'book' })[0]?.key).toBe(slowKey(value))
      }),
      { seed: 3, numRuns: 500 },
    )
  })
})
