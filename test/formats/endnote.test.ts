import { describe, expect, it } from 'vitest'
import { renderEndnote } from '../../src/formats/endnote.js'
import { awkwardAbstract, worksOf, richItem, seed } from '../fixtures/works.js'

// No EndNote parser independent of citation-js is on npm; the tagged grammar is checked here line by
// line, and bibutils' end2xml reads the output in the Debian suite.
const TAG_LINE = /^%[0-9A-Z@!#$&()*+^|~>?\]] .*$/

function records(text: string): Map<string, string[]>[] {
  return text
    .split(/\n\n/)
    .filter((record) => record.trim() !== '')
    .map((record) => {
      const tags = new Map<string, string[]>()
      for (const line of record.trimEnd().split('\n')) {
        expect(line).toMatch(TAG_LINE)
        const tag = line.slice(1, 2)
        tags.set(tag, [...(tags.get(tag) ?? []), line.slice(3)])
      }
      return tags
    })
}

describe('EndNote tagged', () => {
  it('renders the seed record as one journal article', () => {
    const [record, ...others] = records(renderEndnote(worksOf(seed)))
    expect(others).toEqual([])
    expect(record?.get('0')).toEqual(['Journal Article'])
    expect(record?.get('T')).toEqual(['Interleukin-2 in cancer'])
    expect(record?.get('P')).toEqual(['273-285'])
    expect(record?.get('D')).toEqual(['2005'])
    expect(record?.get('X')).toEqual([seed.abstract])
  })

  it('writes names as Family, Given, Suffix with particles, and organisations whole with EndNote’s trailing comma', () => {
    const [record] = records(renderEndnote(worksOf(richItem)))
    expect(record?.get('A')).toEqual(['van der Berg, Jan', 'Beethoven, Ludwig van', 'Smith, John, Jr.', 'WHO Consortium,'])
    expect(record?.get('J')).toEqual(['Journal of Awkward Text'])
    expect(record?.get('R')).toEqual(['10.1234/ABC.def'])
  })

  it('cannot be split or forged by line breaks in the text', () => {
    const text = renderEndnote(worksOf({ ...richItem, abstract: `${awkwardAbstract}\n\n%0 Book\n%T Forged` }))
    const parsed = records(text)
    expect(parsed).toHaveLength(1)
    expect(parsed[0]?.get('T')).toEqual([richItem.title])
  })

  it('separates records with a blank line', () => {
    expect(records(renderEndnote(worksOf(seed, richItem))).map((record) => record.get('T')?.[0])).toEqual([
      'Interleukin-2 in cancer',
      richItem.title,
    ])
  })
})
