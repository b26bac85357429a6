import type { CslItem } from './schema.js'
import { CSL_NAME_VARIABLES } from './schema.js'

/** Folds case and accents so that "Müller" is found by "muller". */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
}

function searchableText(item: CslItem): string {
  const parts = [item.title, item.abstract]
  for (const variable of CSL_NAME_VARIABLES) {
    for (const name of item[variable] ?? []) {
      parts.push(name.literal, name.given, name['dropping-particle'], name['non-dropping-particle'], name.family)
    }
  }
  return parts.filter((part) => part !== undefined).join(' ')
}

/**
 * An inverted index from word to the ascending positions of the records that contain it, so that a
 * query costs the length of its rarest word's list, not a scan of the catalogue.
 */
export class SearchIndex {
  private readonly postings = new Map<string, number[]>()

  constructor(items: readonly CslItem[]) {
    items.forEach((item, position) => {
      for (const token of new Set(tokenize(searchableText(item)))) {
        const list = this.postings.get(token)
        if (list) list.push(position)
        else this.postings.set(token, [position])
      }
    })
  }

  /** Positions of the records that contain every word of the query, in catalogue order. */
  match(query: string): readonly number[] {
    const lists = [...new Set(tokenize(query))].map((token) => this.postings.get(token) ?? [])
    if (lists.length === 0) return []
    lists.sort((a, b) => a.length - b.length)
    const [rarest, ...others] = lists as [number[], ...number[][]]
    return rarest.filter((position) => others.every((list) => binarySearch(list, position)))
  }
}

function binarySearch(sorted: readonly number[], value: number): boolean {
  let low = 0
  let high = sorted.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const found = sorted[middle] as number
    if (found === value) return true
    if (found < value) low = middle + 1
    else high = middle - 1
  }
  return false
}
