import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSL_ITEM_TYPES, type CslItem } from '../../src/catalogue/schema.js'
import { article, chapter, clientRecords, editedBook, report } from '../fixtures/clients.js'
import { embeddedMetadata } from '../fixtures/embedded-metadata.js'
import { byClass, byTag, parseHtml, textOf, type Element } from '../fixtures/html.js'
import { appWith } from '../fixtures/works.js'

// What Zotero saves from a landing page, read with the rules of its Embedded Metadata translator
// (the one that runs once the page has no COinS): item type, fields and each creator in its role.

// Per CSL type, the Zotero item type the Highwire tags can name; the rest fall back to Zotero's
// guess (a book by its ISBN, anything else a journal article), which Highwire has no tag to prevent.
const ZOTERO_TYPES: Readonly<Partial<Record<CslItem['type'], string>>> = {
  article: 'journalArticle',
  'article-journal': 'journalArticle',
  'article-magazine': 'journalArticle',
  'article-newspaper': 'journalArticle',
  review: 'journalArticle',
  'review-book': 'journalArticle',
  chapter: 'bookSection',
  entry: 'bookSection',
  'entry-dictionary': 'bookSection',
  'entry-encyclopedia': 'bookSection',
  'paper-conference': 'conferencePaper',
  report: 'report',
  thesis: 'thesis',
  book: 'book',
}

const everyType: CslItem[] = CSL_ITEM_TYPES.map((type) => ({
  id: `every-${type}`,
  type,
  title: `A ${type}`,
  author: [{ family: 'Berg', given: 'Jan' }],
  'container-title': 'The container',
  publisher: 'The publisher',
  ISBN: type === 'book' ? '978-3-16-148410-0' : undefined,
  issued: { 'date-parts': [[2001]] },
}))

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(...clientRecords, ...everyType)
})
afterAll(() => app.close())

async function zoteroItem(id: string) {
  const response = await app.inject({ url: `/pages/works/${encodeURIComponent(id)}`, headers: { accept: '*/*' } })
  expect(response.statusCode).toBe(200)
  return embeddedMetadata(parseHtml(response.body))
}

describe('Zotero’s Embedded Metadata on the landing pages', () => {
  it('saves the article as a journal article, with its plain title, organisation whole, abstract and URL', async () => {
    const item = await zoteroItem(article.id as string)
    expect(item.itemType).toBe('journalArticle')
    expect(item.fields).toMatchObject({
      title: 'Fish & chips: a review of 100% {braces} and \\backslashes in Ærø café',
      publicationTitle: 'Journal of Awkward Text',
      volume: '12',
      issue: '3',
      pages: '100-110',
      DOI: '10.1234/ABC.def',
      url: `http://localhost:80/pages/works/${article.id}`,
    })
    expect(item.fields.abstractNote).toContain('Fish & chips cost 100% more')
    expect(item.creators.at(-1)).toEqual({ creatorType: 'author', lastName: 'WHO Consortium' })
  })

  it('saves the report as a report, with its institution and number, by an organisation', async () => {
    const item = await zoteroItem(report.id as string)
    expect(item.itemType).toBe('report')
    expect(item.fields).toMatchObject({ institution: report.publisher, number: report.number, title: 'World report on eHealth' })
    expect(item.creators).toEqual([{ creatorType: 'author', lastName: 'World Health Organization' }])
  })

  it('saves the edited book as a book, its editors as editors', async () => {
    const item = await zoteroItem(editedBook.id as string)
    expect(item.itemType).toBe('book')
    expect(item.fields).toMatchObject({ publisher: 'Example Press', ISBN: editedBook.ISBN, language: 'en-GB' })
    expect(item.creators).toEqual([
      { creatorType: 'editor', lastName: 'García Márquez', firstName: 'Ana' },
      { creatorType: 'editor', lastName: 'Ng', firstName: 'Kwok' },
    ])
  })

  it('saves the chapter as a book section in its book, with author and the book’s editors', async () => {
    const item = await zoteroItem(chapter.id as string)
    expect(item.itemType).toBe('bookSection')
    expect(item.fields).toMatchObject({ publicationTitle: 'Cytokines in practice', pages: '11-42', publisher: 'Example Press' })
    expect(item.creators.map((creator) => [creator.creatorType, creator.lastName])).toEqual([
      ['author', 'Lee'],
      ['editor', 'García Márquez'],
      ['editor', 'Ng'],
    ])
  })

  it.each(everyType.map((item) => [item.type, item.id as string] as const))(
    'gives a %s the item type Highwire can name',
    async (type, id) => {
      const item = await zoteroItem(id)
      expect(item.itemType).toBe(ZOTERO_TYPES[type] ?? 'journalArticle')
      expect(item.fields.title).toBe(`A ${type}`)
      expect(item.creators).toEqual([{ creatorType: 'author', lastName: 'Berg', firstName: 'Jan' }])
    },
  )
})

describe('the pages people read', () => {
  const page = async (url: string) => parseHtml((await app.inject({ url, headers: { accept: 'text/html' } })).body)

  it('render CSL rich text as formatting in headings, and as plain text in the document title', async () => {
    const landing = await page(`/pages/works/${article.id}`)
    const heading = byTag(landing, 'h1')[0] as Element
    expect(textOf(heading)).toBe('Fish & chips: a review of 100% {braces} and \\backslashes in Ærø café')
    expect(byTag(heading, 'i').map((italic) => textOf(italic))).toEqual(['review'])
    expect(textOf(byTag(landing, 'title')[0] as Element)).toBe(
      'Fish & chips: a review of 100% {braces} and \\backslashes in Ærø café · citeserve',
    )
    const listed = byClass(await page('/'), 'works')[0] as Element
    expect(byTag(listed, 'i').map((italic) => textOf(italic))).toContain('review')
  })

  it('name types and languages in English, and show an editors-only book’s editors as editors', async () => {
    const facts = (element: Element) =>
      Object.fromEntries(
        byTag(element, 'div').map((row) => [textOf(byTag(row, 'dt')[0] as Element), textOf(byTag(row, 'dd')[0] as Element)]),
      )
    const landing = await page(`/pages/works/${editedBook.id}`)
    expect(facts(byClass(landing, 'facts')[0] as Element)).toMatchObject({ Type: 'Book', Language: 'British English' })
    expect(textOf(byClass(landing, 'authors')[0] as Element)).toBe('Ana García Márquez; Kwok Ng (editors)')
    const reportFacts = facts(byClass(await page(`/pages/works/${report.id}`), 'facts')[0] as Element)
    expect(reportFacts).toMatchObject({ Type: 'Report (Technical report)', Language: 'English' })
    const summaries = byClass(await page('/?query=cytokines'), 'summary').map((summary) => textOf(summary))
    expect(summaries).toContain('Ana García Márquez; Kwok Ng (editors) · 2001')
  })
})
