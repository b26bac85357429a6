import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { parse as parseRis } from 'astrocite-ris'
import { describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { article, chapter, clientRecords, editedBook, report } from '../fixtures/clients.js'
import { renderPlain } from '../fixtures/csl.js'
import { worksOf } from '../fixtures/works.js'

// What reference managers and LaTeX make of the four records real clients were tried with: each
// format read back by a parser that is not citation-js, field by field and role by role.

const works = worksOf(...clientRecords)
const render = (format: string, ...items: CslItem[]) => renderPlain(format, items.length > 0 ? worksOf(...items) : works)

function bibtexEntries(format: 'bibtex' | 'biblatex') {
  const { entries, errors } = parseBibtex(render(format))
  expect(errors).toEqual([])
  // Compared in NFC: the parser writes "á" decomposed, which is the same text.
  return new Map((JSON.parse(JSON.stringify(entries).normalize('NFC')) as typeof entries).map((entry) => [entry.key, entry]))
}

/** EndNote tagged records as tag → values, read line by line as Zotero's Refer translator does. */
function referRecords(text: string): Array<Map<string, string[]>> {
  return text
    .split(/\n\n/)
    .filter((record) => record.trim() !== '')
    .map((record) => {
      const tags = new Map<string, string[]>()
      for (const line of record.trimEnd().split('\n')) tags.set(line.slice(1, 2), [...(tags.get(line.slice(1, 2)) ?? []), line.slice(3)])
      return tags
    })
}

describe('BibTeX for classic .bst styles', () => {
  const entries = bibtexEntries('bibtex')

  it('writes a chapter in an edited book as @incollection, whose booktitle every style prints', () => {
    const entry = [...entries.values()].find((candidate) => candidate.fields.title === 'Interleukins')
    expect(entry?.type).toBe('incollection')
    expect(entry?.fields.booktitle).toBe('Cytokines in practice')
    expect(entry?.fields.editor).toEqual([
      { lastName: 'García Márquez', firstName: 'Ana' },
      { lastName: 'Ng', firstName: 'Kwok' },
    ])
  })

  it('writes the language as Zotero does, and a thesis as @phdthesis or @mastersthesis with its school', () => {
    for (const entry of entries.values()) expect(entry.fields.language).toBeDefined()
    const thesis = (genre?: string) =>
      parseBibtex(render('bibtex', { id: 't', type: 'thesis', title: 'T', publisher: 'Uni', ...(genre ? { genre } : {}) })).entries[0]
    expect(thesis()).toMatchObject({ type: 'phdthesis', fields: { school: 'Uni' } })
    expect(thesis('Master’s thesis')?.type).toBe('mastersthesis')
  })
})

describe('BibLaTeX for biber', () => {
  const entries = [...bibtexEntries('biblatex').values()]
  const byTitle = (title: string) => entries.find((entry) => entry.fields.title === title)

  it('names the language by langid, prints no language field, and puts a genre into type', () => {
    expect(entries.map((entry) => entry.fields.langid)).toEqual(['english', 'english', 'british', 'english'])
    for (const entry of entries) {
      expect(entry.fields).not.toHaveProperty('language')
      expect(entry.fields).not.toHaveProperty('entrysubtype')
    }
    expect(byTitle('World report on eHealth')?.fields.type).toBe('Technical report')
  })

  it('makes a book with editors only a @collection, and a chapter of it an @incollection', () => {
    expect(byTitle(editedBook.title as string)?.type).toBe('collection')
    expect(byTitle(chapter.title as string)?.type).toBe('incollection')
    const byBookAuthor = parseBibtex(render('biblatex', { ...chapter, 'container-author': [{ family: 'Lee', given: 'Min-jun' }] }))
    expect(byBookAuthor.entries[0]?.type).toBe('inbook')
  })
})

describe.each(['bibtex', 'biblatex'] as const)('%s values', (format) => {
  it('never break a line, so line-based readers see one field per line', () => {
    const text = render(format)
    for (const line of text.split('\n')) expect(line).toMatch(/^(?:@\w+\{[^,]+,|\t\w+ = .*,|\}|)$/)
    expect(text).not.toMatch(/^TY {2}- /m)
  })
})

describe('EndNote tagged', () => {
  const [journal, who, book, section] = referRecords(render('endnote'))

  it('writes editors as %E, publishers and institutions as %I, and translators as %?', () => {
    expect(book?.get('E')).toEqual(['García Márquez, Ana', 'Ng, Kwok'])
    expect(section?.get('E')).toEqual(['García Márquez, Ana', 'Ng, Kwok'])
    expect(section?.get('A')).toEqual(['Lee, Min-jun'])
    expect(who?.get('I')).toEqual([report.publisher])
    expect(book?.get('I')).toEqual(['Example Press'])
    for (const record of [journal, who, book, section]) expect(record?.has('Y')).toBe(false)
    const translated = referRecords(render('endnote', { ...editedBook, translator: [{ family: 'Moreau', given: 'Luc' }] }))[0]
    expect(translated?.get('?')).toEqual(['Moreau, Luc'])
  })

  it('ends an organisation’s name with a comma, EndNote’s sign of a corporate author', () => {
    expect(who?.get('A')).toEqual(['World Health Organization,'])
    expect(journal?.get('A')?.at(-1)).toBe('WHO Consortium,')
  })

  it('writes types that citation-js maps to a bare title with their fields', () => {
    const [review] = referRecords(render('endnote', { ...article, type: 'review' }))
    expect(review?.get('0')).toEqual(['Journal Article'])
    expect(review?.get('J')).toEqual([article['container-title']])
    expect(review?.get('V')).toEqual(['12'])
  })
})

describe('plain-text formats', () => {
  it('carry titles without CSL’s rich-text tags (RIS, EndNote, schema.org)', () => {
    const [risArticle, risReport] = parseRis(render('ris')) as Array<{ title: string }>
    expect(risArticle?.title).toBe('Fish & chips: a review of 100% {braces} and \\backslashes in Ærø café')
    expect(risReport?.title).toBe('World report on eHealth')
    expect(referRecords(render('endnote'))[0]?.get('T')).toEqual(['Fish & chips: a review of 100% {braces} and \\backslashes in Ærø café'])
    const jsonLd = JSON.parse(render('schema-org', article)) as { name: string; headline: string }
    expect(jsonLd.name).toBe('Fish & chips: a review of 100% {braces} and \\backslashes in Ærø café')
  })

  it('keep a tag that is not rich text, or has no partner, as text', () => {
    const [record] = parseRis(render('ris', { id: 'x', type: 'book', title: 'x < y <i>open and <script>s</script>' })) as Array<{
      title: string
    }>
    expect(record?.title).toBe('x < y <i>open and <script>s</script>')
  })
})
