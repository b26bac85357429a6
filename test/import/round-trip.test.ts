import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { hostileRecord, nameWords, plain } from '../fixtures/hostile-records.js'
import { contextFor, renderPlain } from '../fixtures/csl.js'
import { catalogueOf } from '../fixtures/works.js'
import { readItems } from './read.js'

// Importing citeserve's own output of a record gives the record back, on every field the format
// carries (docs/importing.md lists them). Text is compared as a reader sees it: RIS and EndNote
// titles are plain text, and line breaks are spaces in every tagged format.

const context = contextFor()
const RUNS = { numRuns: 40, seed: 20261130 }

function exported(format: string, item: CslItem): string {
  return renderPlain(format, catalogueOf(item).works, context)
}

const dashes = (page: unknown) => String(page).replace(/[–—]/g, '-')
const withoutMarkup = (text: string | undefined) => plain(text ?? '').replace(/<\/?(?:i|b|sub|sup)>/g, '')
const dateParts = (item: CslItem) => item.issued?.['date-parts']?.[0]

async function roundTrip(format: string, item: CslItem): Promise<CslItem> {
  const items = await readItems(exported(format, item))
  expect(items).toHaveLength(1)
  return items[0] as CslItem
}

describe('importing citeserve’s own exports gives the record back', () => {
  it('CSL-JSON: the whole record', async () => {
    await fc.assert(
      fc.asyncProperty(hostileRecord, async (item) => {
        expect(await roundTrip('csl-json', item)).toEqual(item)
      }),
      RUNS,
    )
  })

  it.each(['bibtex', 'biblatex'])('%s: key, type, title, names, pages, abstract and date', async (format) => {
    await fc.assert(
      fc.asyncProperty(hostileRecord, async (item) => {
        const read = await roundTrip(format, item)
        expect(read.id).toBe(catalogueOf(item).works[0]?.key)
        expect(read.type).toBe(item.type)
        expect(plain(read.title ?? '')).toBe(plain(item.title ?? ''))
        expect(nameWords(read.author ?? [])).toEqual(nameWords(item.author ?? []))
        expect(dashes(read.page)).toBe(item.page)
        expect(plain(read.abstract ?? '')).toBe(plain(item.abstract ?? ''))
        // Classic BibTeX has a year and a month; BibLaTeX the whole date.
        expect(dateParts(read)).toEqual(format === 'bibtex' ? dateParts(item)?.slice(0, 2) : dateParts(item))
      }),
      RUNS,
    )
  })

  it.each(['ris', 'endnote'])('%s: type, title, names, pages, abstract and date (and the id in RIS)', async (format) => {
    await fc.assert(
      fc.asyncProperty(hostileRecord, async (item) => {
        const read = await roundTrip(format, item)
        if (format === 'ris' && String(item.id).trim() !== '') expect(read.id).toBe(String(item.id).trim())
        expect(read.type).toBe(item.type)
        expect(withoutMarkup(read.title)).toBe(withoutMarkup(item.title))
        expect(nameWords(read.author ?? [])).toEqual(nameWords(item.author ?? []))
        expect(dashes(read.page)).toBe(item.page)
        expect(plain(read.abstract ?? '')).toBe(plain(item.abstract ?? ''))
        expect(dateParts(read)).toEqual(dateParts(item))
      }),
      RUNS,
    )
  })
})
