import { describe, expect, it } from 'vitest'
import { FileStore } from '../../src/catalogue/file-store.js'
import { itemsFromJson } from '../../src/catalogue/load.js'
import { normalizeDoi } from '../../src/catalogue/doi.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'

describe('the synthetic catalogue of gen:data', () => {
  const items = syntheticCatalogue(500)

  it('passes the catalogue’s own validation, with unique ids and DOIs', async () => {
    const store = await FileStore.fromItems(await itemsFromJson('synthetic.json', JSON.parse(JSON.stringify(items))))
    expect((await store.state()).works).toBe(500)
    expect(new Set(items.map((item) => item.id)).size).toBe(500)
    expect(new Set(items.map((item) => normalizeDoi(item.DOI as string))).size).toBe(500)
    expect((await store.find(items[321]?.DOI as string))?.id).toBe(items[321]?.id)
  })

  it('has titles, abstracts and authors, and can be searched', async () => {
    for (const item of items) {
      expect(item.title).toMatch(/\w+ \w+/)
      expect(item.abstract?.length).toBeGreaterThan(40)
      expect(item.author?.length).toBeGreaterThan(0)
    }
    const store = await FileStore.fromItems(items)
    const page = await store.list({ query: { text: 'melanoma' }, rows: 5 })
    expect(page.total).toBeGreaterThan(0)
    for (const work of page.works) expect(`${work.item.title} ${work.item.abstract}`.toLowerCase()).toContain('melanoma')
  })

  it('is the same for the same count and seed, and differs for another seed', () => {
    expect(syntheticCatalogue(50)).toEqual(items.slice(0, 50))
    expect(syntheticCatalogue(50, 7)).not.toEqual(items.slice(0, 50))
  })
})
