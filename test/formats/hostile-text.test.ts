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

// Property-based: records full of text that breaks citation formats, each rendered in every format
// and read back by parsers that are not citation-js.

const TEX_SPECIALS = ['&', '%', '$', '#', '_', '{', '}', '~', '^', '\\']
const SCRIPTS = ['é', 'ü', 'ß', 'Ærø', 'Łódź', 'Ωμέγα', 'Ελληνικά', '東京大学', '한국어', 'مرحبا', 'שלום', 'Dž', 'ﬁ', 'x²']
const PUNCTUATION = [
  '"',
  "'",
  '“',
  '”',
  '‘',
  '’',
  '--',
  "''",
  ',,',
  '–',
  '—',
  '…',
  ' ',
  '  ',
  '\n',
  '\t',
  '\nER  - ',
  '\nTY  - BOOK',
  '\n%0 Book',
]

const word = fc.oneof(
  fc.constantFrom(...TEX_SPECIALS, ...SCRIPTS, ...PUNCTUATION, '<script>', '</script>', '<p>', 'x < y > z'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
)
const plainText = fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(''))
// CSL-JSON's rich text: balanced <i>, <b>, <sub> and <sup> around plain text.
const richText = fc
  .array(
    fc.oneof(
      plainText,
      fc.tuple(fc.constantFrom('i', 'b', 'sub', 'sup'), plainText).map(([tag, text]) => `<${tag}>${text}</${tag}>`),
    ),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((parts) => parts.join(' '))
  .filter((text) => /[\p{L}\p{N}]/u.test(text) && !/&#?\w+;/.test(text))

// Name parts are words: BibTeX cannot keep a comma or " and " inside a part.
const namePart = fc
  .array(fc.constantFrom('Anna', 'Jean-Luc', 'Łukasz', 'Ærø', 'Müller', 'O’Brien', '山田', 'Σοφία', 'Ng', 'José María', 'Zoë'), {
    minLength: 1,
    maxLength: 2,
  })
  .map((parts) => parts.join(' '))
const name: fc.Arbitrary<CslName> = fc.oneof(
  fc.record({ family: namePart, given: namePart }),
  fc.record({ family: namePart, given: namePart, 'non-dropping-particle': fc.constantFrom('van der', 'de', 'von') }),
  fc.record({ family: namePart, given: namePart, suffix: fc.constantFrom('Jr.', 'III', 'Sr.') }),
  fc.record({ family: namePart }),
  fc.record({ literal: fc.constantFrom('WHO Consortium', 'Royal Society of Chemistry', 'Université de Genève', 'IEEE') }),
)

const record: fc.Arbitrary<CslItem> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 30 }).filter((id) => !/\p{Cc}/u.test(id)),
  type: fc.constant('article-journal' as const),
  title: richText,
  abstract: fc.oneof(
    plainText,
    fc.array(plainText, { minLength: 50, maxLength: 120 }).map((parts) => parts.join(' ')),
  ),
  author: fc.array(name, { minLength: 1, maxLength: 4 }),
  page: fc.constantFrom('1-10', '273-285', 'e1234', '12'),
  issued: fc.constant({ 'date-parts': [[2005, 2, 24]] }),
})

const context = contextFor()
const render = (format: string, item: CslItem) => renderPlain(format, worksOf(item), context)
/** Bibliographies and citations render in a worker thread. */
const renderStyled = async (format: string, item: CslItem, output: 'text' | 'html' = 'text') =>
  getFormat(format).render(worksOf(item), { ...context, output })

/** The text a reader gets: CSL markup dropped, sub/superscript digits as digits, white space folded. */
function plain(text: string): string {
  const scripts: Record<string, string> = Object.fromEntries([...'₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹'].map((digit, index) => [digit, String(index % 10)]))
  return (
    text
      .normalize('NFC')
      .replace(/<\/?(?:i|b|sub|sup)>|<span class="nocase">|<\/span>/g, '')
      .replace(/[₀-₉⁰¹²³⁴-⁹]/g, (digit) => scripts[digit] ?? digit)
      // bibtex-parser reads \textasciigrave as U+02CB, the modifier letter, rather than "`".
      .replace(/ˋ/g, '`')
      .replace(/\s+/g, ' ')
      .trim()
  )
}

function nameWords(names: readonly Record<string, unknown>[]): string[] {
  return names
    .flatMap((name) => Object.values(name).filter((value): value is string => typeof value === 'string'))
    .flatMap((part) => part.normalize('NFC').split(/[\s,]+/))
    .filter(Boolean)
    .sort()
}

function risName(name: CslName): string {
  if (name.literal !== undefined) return name.literal
  const family = [name['non-dropping-particle'], name.family].filter(Boolean).join(' ')
  return [family, name.given, name.suffix].filter(Boolean).join(', ')
}

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
