import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { Ajv } from 'ajv'
import { parse as parseRis } from 'astrocite-ris'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5'
import { describe, expect, it } from 'vitest'
import type { CslItem, CslName } from '../../src/catalogue/schema.js'
import { getFormat } from '../../src/formats/registry.js'
import escapeHtml from 'escape-html'
import { contextFor, renderPlain } from '../fixtures/csl.js'
import { worksOf } from '../fixtures/works.js'
import { hostileRecord, nameWords, plain } from '../fixtures/hostile-records.js'

// Property-based: records full of text that breaks citation formats, each rendered in every format
// and read back by parsers that are not citation-js.

const context = contextFor()
const render = (format: string, item: CslItem) => renderPlain(format, worksOf(item), context)
/** Bibliographies and citations render in a worker thread. */
const renderStyled = async (format: string, item: CslItem, output: 'text' | 'html' = 'text') =>
  getFormat(format).render(worksOf(item), { ...context, output })

function risName(name: CslName): string {
  if (name.literal !== undefined) return name.literal
  const family = [name['non-dropping-particle'], name.family].filter(Boolean).join(' ')
  return [family, name.given, name.suffix].filter(Boolean).join(', ')
}

const record = hostileRecord

const RUNS = { numRuns: 60, seed: 20261126 }

describe('hostile text, every format', () => {
  it.each(['bibtex', 'biblatex'])('%s parses independently, with title, names, pages and abstract equal', (format) => {
    fc.assert(
      fc.property(record, (item) => {
        // Sentence-casing is a style's business, not the text's: the parser is asked to leave case alone.
        const result = parseBibtex(render(format, item), { sentenceCase: false })
        expect(result.errors).toEqual([])
        expect(result.entries).toHaveLength(1)
        const fields = result.entries[0]?.fields as Record<string, unknown>
        expect(plain(String(fields.title))).toBe(plain(item.title ?? ''))
        expect(plain(String((fields.abstract as string | undefined) ?? ''))).toBe(plain(item.abstract ?? ''))
        expect(String(fields.pages).replace('–', '-')).toBe(item.page)
        expect(nameWords(fields.author as Record<string, unknown>[])).toEqual(nameWords(item.author ?? []))
      }),
      RUNS,
    )
  })

  it('RIS parses into exactly one record with every field intact', () => {
    fc.assert(
      fc.property(record, (item) => {
        const records = parseRis(render('ris', item))
        expect(records).toHaveLength(1)
        const [parsed] = records
        expect(plain(parsed?.title ?? '')).toBe(plain(item.title ?? '').replace(/<\/?(?:i|b|sub|sup)>/g, ''))
        expect(plain(parsed?.abstract ?? '')).toBe(plain(item.abstract ?? ''))
        expect(parsed?.id).toBe(String(item.id).trim())
        expect(parsed?.page ?? parsed?.['page-first']).toBe(item.page)
        // astrocite reads names by BibTeX's rules (and loses single CJK names), so names are checked
        // as the lines RIS defines: "Family, Given, Suffix", particles folded in.
        expect(parsed?.author).toHaveLength(item.author?.length ?? 0)
        const lines = render('ris', item)
          .split('\r\n')
          .filter((line) => line.startsWith('AU  - '))
        expect(lines).toEqual((item.author ?? []).map((author) => `AU  - ${risName(author)}`))
      }),
      RUNS,
    )
  })

  it('CSL-JSON validates against the official schema and keeps the record', () => {
    const schema = JSON.parse(readFileSync(new URL('../../src/catalogue/csl-data.schema.json', import.meta.url), 'utf8')) as object
    const validate = new Ajv({ strict: false }).compile(schema)
    fc.assert(
      fc.property(record, (item) => {
        const json: unknown = JSON.parse(render('csl-json', item))
        expect(validate(json)).toBe(true)
        expect(json).toEqual([item])
      }),
      RUNS,
    )
  })

  it('plain-text bibliographies and citations carry no markup and no entities', async () => {
    await fc.assert(
      fc.asyncProperty(record, async (item) => {
        for (const format of ['bibliography', 'citation']) {
          const text = await renderStyled(format, item)
          // CSL markup exactly; record text such as "x < y > z" or "<b x" is text, and stays.
          expect(text).not.toMatch(/<\/?(?:i|b|sub|sup)>|<\/?(?:div|span)\b/)
          expect(text).not.toMatch(/&(?:#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos|nbsp);/i)
        }
      }),
      RUNS,
    )
  })

  it('HTML bibliographies never carry record text unescaped', async () => {
    const allowed = new Set(['div', 'i', 'b', 'sup', 'sub', 'span'])
    await fc.assert(
      fc.asyncProperty(record, async (item) => {
        const html = await renderStyled('bibliography', item, 'html')
        const elements: string[] = []
        const walk = (node: DefaultTreeAdapterMap['parentNode']) => {
          for (const child of node.childNodes) {
            if ('tagName' in child) {
              elements.push(child.tagName)
              walk(child)
            }
          }
        }
        walk(parseFragment(html))
        expect(elements.filter((element) => !allowed.has(element))).toEqual([])
        expect(html).toContain(`data-csl-entry-id="${escapeHtml(String(item.id))}"`)
      }),
      RUNS,
    )
  })
})
