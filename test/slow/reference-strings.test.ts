import { describe, expect, it } from 'vitest'
import { FileStore } from '../../src/catalogue/file-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'

const WORKS = 100_000
const REFERENCES = 100

const stripAccents = (text: string) => text.normalize('NFKD').replace(/\p{M}+/gu, '')

/** The reference to a work as bibliographies write it, in one of several styles, as a person would type it. */
function referenceTo(item: CslItem, style: number): string {
  const [first] = item.author ?? []
  const family = first?.family ?? ''
  const initial = (first?.given ?? '').slice(0, 1)
  const year = item.issued?.['date-parts']?.[0]?.[0]
  const firstPage = String(item.page).split('-')[0]
  const { title, volume, issue, page } = item
  const container = item['container-title']
  switch (style % 4) {
    case 0:
      return `${family} ${year} ${title} ${container} ${volume} ${firstPage}`
    case 1:
      return `${family}, ${initial}. (${year}). ${title}. ${container}, ${volume}(${issue}), ${page}.`
    case 2:
      return `${stripAccents(family)} ${initial}. ${title}. ${container}. ${year};${volume}:${page}.`
    default:
      return `${family} ${initial} et al. ${String(title).toLowerCase()}, ${container} vol. ${volume}, pp. ${firstPage}, ${year}`
  }
}

describe('reference strings on a catalogue of 100,000 works', () => {
  it('find the work they cite first, at least 95 times in 100', async () => {
    const items = syntheticCatalogue(WORKS)
    const store = await FileStore.fromItems(items)
    const misses: string[] = []
    for (let reference = 0; reference < REFERENCES; reference++) {
      // Works spread over the whole catalogue, by a stride prime to its size.
      const cited = items[(reference * 7919 + 13) % WORKS] as CslItem
      const text = referenceTo(cited, reference)
      const page = await store.list({ query: { fields: { bibliographic: text } }, rows: 1, sort: { by: 'relevance', order: 'desc' } })
      if (page.works[0]?.id !== cited.id) misses.push(text)
    }
    await store.close()
    expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(REFERENCES * 0.05)
  })
})
