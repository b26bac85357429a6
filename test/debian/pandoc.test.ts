import { describe, expect, it } from 'vitest'
import { richItem, seed } from '../fixtures/works.js'
import { render, run } from './tools.js'

// pandoc reads BibTeX and BibLaTeX (with BibTeX's case rules) independently of citation-js.
const folded = (text: string) => text.replace(/\s+/g, ' ').trim()

describe('pandoc reads what citeserve writes', () => {
  describe.each([
    ['bibtex', 'bibtex'],
    ['biblatex', 'biblatex'],
  ])('%s', (format, reader) => {
    const items = JSON.parse(run('pandoc', ['-f', reader, '-t', 'csljson'], render(format, seed, richItem))) as Record<string, unknown>[]

    it('as two records with the seed’s fields', () => {
      expect(items).toHaveLength(2)
      expect(items[0]).toMatchObject({
        id: 'interleukin-2-in-cancer-2005',
        type: 'article-journal',
        title: 'Interleukin-2 in cancer',
        page: '273-285',
        abstract: seed.abstract,
      })
      // BibTeX carries the genre in `type`, which pandoc reads; BibLaTeX in `entrysubtype`, which it does not.
      if (format === 'bibtex') expect(items[0]?.genre).toBe('Review')
    })

    it('with awkward text, accents and capitals intact', () => {
      expect(items[1]?.title).toBe(richItem.title)
      expect(items[1]?.abstract).toBe(folded(richItem.abstract ?? ''))
    })

    it('with names, journal, volume, issue and DOI', () => {
      expect(items[1]).toMatchObject({
        'container-title': 'Journal of Awkward Text',
        volume: '12',
        issue: '3',
        DOI: '10.1234/ABC.def',
        author: [
          { family: 'Berg', given: 'Jan', 'dropping-particle': 'van der' },
          { family: 'Beethoven', given: 'Ludwig', 'dropping-particle': 'van' },
          { family: 'Smith', given: 'John', suffix: 'Jr.' },
          { literal: 'WHO Consortium' },
        ],
      })
    })
  })
})
