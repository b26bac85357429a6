import { describe, expect, it } from 'vitest'
import { acceptedRanges, MAX_ACCEPT_LENGTH, negotiate, parseAccept } from '../../src/http/accept.js'
import { HttpProblem } from '../../src/http/problem.js'

const offers = ['application/json', 'application/x-bibtex', 'text/x-bibliography'] as const
const choose = (header: string) => negotiate(parseAccept(header), offers, (offer) => [offer])

describe('parseAccept', () => {
  it('keeps media-type parameters, quoted or not, and reads q', () => {
    expect(parseAccept('text/x-bibliography; style=vancouver; locale="en-US"; q=0.5')).toEqual([
      { type: 'text', subtype: 'x-bibliography', params: { style: 'vancouver', locale: 'en-US' }, q: 0.5, index: 0 },
    ])
  })

  it('handles commas and semicolons inside quoted values', () => {
    const [range] = parseAccept('text/x-bibliography; style="a,b;c"')
    expect(range?.params.style).toBe('a,b;c')
  })

  it('leaves out malformed ranges and keeps the rest', () => {
    const ranges = parseAccept('garbage, text/html;q=2, */json, application/json;q=0.3, ;;, text/x-bibliography;=x')
    expect(ranges.map((range) => `${range.type}/${range.subtype}`)).toEqual(['application/json'])
  })

  it('lower-cases types and parameter names', () => {
    expect(parseAccept('Application/X-BibTeX; Style=APA')[0]).toMatchObject({
      type: 'application',
      subtype: 'x-bibtex',
      params: { style: 'APA' },
    })
  })
})

describe('negotiate', () => {
  it('prefers the highest q', () => {
    expect(choose('application/json;q=0.2, application/x-bibtex')?.offer).toBe('application/x-bibtex')
    expect(choose('application/x-bibtex;q=0.1, text/x-bibliography;q=0.9')?.offer).toBe('text/x-bibliography')
  })

  it('lets the most specific range decide an offer’s q', () => {
    expect(choose('*/*;q=0.9, application/json;q=0.1')?.offer).toBe('application/x-bibtex')
    expect(choose('text/*, text/x-bibliography;q=0')).toBeUndefined()
  })

  it('breaks ties by specificity, then the client’s order, then the server’s', () => {
    expect(choose('*/*, text/x-bibliography')?.offer).toBe('text/x-bibliography')
    expect(choose('text/x-bibliography, application/x-bibtex')?.offer).toBe('text/x-bibliography')
    expect(choose('*/*')?.offer).toBe('application/json')
    expect(choose('application/*')?.offer).toBe('application/json')
  })

  it('returns the parameters of the range that matched', () => {
    expect(choose('text/x-bibliography; style=vancouver; locale=de-DE')?.range.params).toEqual({ style: 'vancouver', locale: 'de-DE' })
  })

  it('finds nothing acceptable when nothing matches or everything is refused', () => {
    expect(choose('image/png')).toBeUndefined()
    expect(choose('*/*;q=0')).toBeUndefined()
    expect(choose('')).toBeUndefined()
  })
})

describe('acceptedRanges', () => {
  it('accepts anything without a header or with an empty one', () => {
    expect(acceptedRanges(undefined)).toEqual(parseAccept('*/*'))
    expect(acceptedRanges('  ')).toEqual(parseAccept('*/*'))
  })

  it(`reads a header of up to ${MAX_ACCEPT_LENGTH} characters, and refuses a longer one with 431`, () => {
    const ranges = 'application/json;q=0.5,'.repeat(89)
    expect(ranges.length).toBeLessThanOrEqual(MAX_ACCEPT_LENGTH)
    expect(acceptedRanges(ranges)).toHaveLength(89)
    const tooLong = `${ranges}text/x-bibliography;q=0.1`
    expect(() => acceptedRanges(tooLong)).toThrow(HttpProblem)
    expect(() => acceptedRanges(tooLong)).toThrow(`header Accept has ${tooLong.length} characters; at most ${MAX_ACCEPT_LENGTH} are read.`)
  })
})
