import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bundledItems, seed } from '../fixtures/works.js'

// The source page of the bundled article (a copy of ../shared/seed): the record states what it
// states, and nothing it does not.
const page = readFileSync(new URL('../fixtures/seed-page.txt', import.meta.url), 'utf8')

describe('the bundled data file', () => {
  it('holds exactly the seed article', () => {
    expect(bundledItems).toHaveLength(1)
  })

  it('states what the source page states', () => {
    expect(seed).toMatchObject({
      id: 'interleukin-2-in-cancer-2005',
      type: 'article-journal',
      genre: 'Review',
      title: 'Interleukin-2 in cancer',
      page: '273-285',
      issued: { 'date-parts': [[2005, 2, 24]] },
      language: 'en',
      custom: { views: 13, 'crossref-citations': 1, 'altmetric-score': 0 },
    })
    expect(page).toContain('Pages 273-285 | Published online: 24 Feb 2005')
    expect(page).toMatch(/^13\nViews\n1\nCrossRef citations to date\n0\nAltmetric\nReview\n\nInterleukin-2 in cancer\n/)
  })

  it('carries the abstract exactly as the page gives it', () => {
    const pageAbstract = page.split('\nAbstract\n\n')[1]?.split('\n')[0]
    expect(pageAbstract?.length).toBeGreaterThan(1000)
    expect(seed.abstract).toBe(pageAbstract)
  })

  it('invents nothing the page does not show', () => {
    for (const absent of ['author', 'editor', 'container-title', 'volume', 'issue', 'DOI', 'URL', 'publisher', 'ISSN']) {
      expect(seed, absent).not.toHaveProperty(absent)
    }
    expect(Object.keys(seed).sort()).toEqual(['abstract', 'custom', 'genre', 'id', 'issued', 'language', 'page', 'title', 'type'])
  })
})
