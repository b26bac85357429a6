import type { CslItem } from '../../src/catalogue/schema.js'
import type { CatalogueStore } from '../../src/catalogue/store.js'

// How the stores are held to finding works from reference strings: each store's suite loads the same
// synthetic catalogue and counts the misses.

/** The catalogue's size and the number of references asked for. */
export const REFERENCE_WORKS = 100_000
export const REFERENCES = 100

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

/** The reference strings, of works spread over the catalogue, whose work `store` does not rank first. */
export async function referenceStringMisses(store: CatalogueStore, items: readonly CslItem[]): Promise<string[]> {
  const misses: string[] = []
  for (let reference = 0; reference < REFERENCES; reference++) {
    // Works spread over the whole catalogue, by a stride prime to its size.
    const cited = items[(reference * 7919 + 13) % items.length] as CslItem
    const text = referenceTo(cited, reference)
    const page = await store.list({ query: { fields: { bibliographic: text } }, rows: 1, sort: { by: 'relevance', order: 'desc' } })
    if (page.works[0]?.id !== cited.id) misses.push(text)
  }
  return misses
}
