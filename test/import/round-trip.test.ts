import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { hostileRecord, nameWords, plain } from '../fixtures/hostile-records.js'
import { contextFor, renderPlain } from '../fixtures/csl.js'
import { worksOf } from '../fixtures/works.js'
import { readItems } from './read.js'

// Importing citeserve's own output of a record gives the record back, on every field the format
// carries (docs/importing.md lists them). Text is compared as a reader sees it: RIS and EndNote
// titles are plain text, and line breaks are spaces in every tagged format.

// The generated record, with a journal, volume, issue and DOI as well; a DOI may end with a full stop.
const fullRecord = fc
  .tuple(
    hostileRecord,
    fc.constantFrom('Journal of Awkward Text', 'Ærø Review', 'Zeitschrift für Ökologie'),
    fc.integer({ min: 1, max: 999 }),
    fc.integer({ min: 1, max: 12 }),
    fc.stringMatching(/^10\.\d{4,5}\/[a-z0-9](?:[a-z0-9.]{0,10}[a-z0-9.,])?$/),
  )
  .map(([item, journal, volume, issue, doi]): CslItem => ({
    ...item,
    'container-title': journal,
    volume: String(volume),
    issue: String(issue),
    DOI: doi,
  }))

const context = contextFor()
const RUNS = { numRuns: 40, seed: 20261130 }

function exported(format: string, item: CslItem): string {
  return renderPlain(format, worksOf(item), context)
}

const dashes = (page: unknown) => String(page).replace(/[–—]/g, '-')
const withoutMarkup = (text: string | undefined) => plain(text ?? '').replace(/<\/?(?:i|b|sub|sup)>/g, '')
const dateParts = (item: CslItem) => item.issued?.['date-parts']?.[0]
const journal = (item: CslItem) => [item['container-title'], String(item.volume), String(item.issue), item.DOI]

async function roundTrip(format: string, item: CslItem): Promise<CslItem> {
  const items = await readItems(exported(format, item))
  expect(items).toHaveLength(1)
  return items[0] as CslItem
}

describe('importing citeserve’s own exports gives the record back', () => {
  it('CSL-JSON: the whole record', async () => {
    await fc.assert(
      fc.asyncProperty(fullRecord, async (item) => {
        expect(await roundTrip('csl-json', item)).toEqual(item)
      }),
      RUNS,
    )
  })

  it.each(['bibtex', 'biblatex'])('%s: key, type, title, names, pages, abstract, date, journal, volume, issue and DOI', async (format) => {
    await fc.assert(
      fc.asyncProperty(fullRecord, async (item) => {
        const read = await roundTrip(format, item)
        expect(read.id).toBe(worksOf(item)[0]?.key)
        expect(read.type).toBe(item.type)
        expect(plain(read.title ?? '')).toBe(plain(item.title ?? ''))
        expect(nameWords(read.author ?? [])).toEqual(nameWords(item.author ?? []))
        expect(dashes(read.page)).toBe(item.page)
        expect(plain(read.abstract ?? '')).toBe(plain(item.abstract ?? ''))
        expect(journal(read)).toEqual(journal(item))
        // Classic BibTeX has a year and a month; BibLaTeX the whole date.
        expect(dateParts(read)).toEqual(format === 'bibtex' ? dateParts(item)?.slice(0, 2) : dateParts(item))
      }),
      RUNS,
    )
  })

  it.each(['ris', 'endnote'])(
    '%s: type, title, names, pages, abstract, date, journal, volume, issue and DOI (and the id in RIS)',
    async (format) => {
      await fc.assert(
        fc.asyncProperty(fullRecord, async (item) => {
          const read = await roundTrip(format, item)
          if (format === 'ris' && String(item.id).trim() !== '') expect(read.id).toBe(String(item.id).trim())
          expect(read.type).toBe(item.type)
          expect(withoutMarkup(read.title)).toBe(withoutMarkup(item.title))
          expect(nameWords(read.author ?? [])).toEqual(nameWords(item.author ?? []))
          expect(dashes(read.page)).toBe(item.page)
          expect(plain(read.abstract ?? '')).toBe(plain(item.abstract ?? ''))
          expect(dateParts(read)).toEqual(dateParts(item))
          expect(journal(read)).toEqual(journal(item))
        }),
        RUNS,
      )
    },
  )
})
