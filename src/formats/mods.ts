import type { Work } from '../catalogue/catalogue.js'
import type { CslItem, CslName } from '../catalogue/schema.js'
import { isoDate, keywords, languageTag, pageRange } from './csl-fields.js'
import { withParticlesFolded } from './names.js'
import { textElement, xmlDocument, xmlText, type XmlNode } from './xml.js'

// MODS 3, written the way bibutils writes it, so that its xml2bib and Zotero's MODS import read every
// field: the work's own genre, a host item for the journal or book, and the part's volume, issue and pages.

export const MODS_NAMESPACE = 'http://www.loc.gov/mods/v3'
export const MODS_SCHEMA = 'http://www.loc.gov/standards/mods/v3/mods-3-8.xsd'

export interface ModsGenre {
  /** The work's genre (marcgt where MARC has one, else bibutils' own list), and its host's, if any. */
  readonly genre: string
  readonly authority: 'marcgt' | 'bibutilsgt'
  readonly host?: { readonly genre: string; readonly authority: 'marcgt' | 'bibutilsgt'; readonly continuing: boolean }
  readonly typeOfResource: string
}

const JOURNAL = { genre: 'periodical', authority: 'marcgt', continuing: true } as const
const BOOK = { genre: 'book', authority: 'marcgt', continuing: false } as const
const NEWSPAPER = { genre: 'newspaper', authority: 'marcgt', continuing: true } as const
const MAGAZINE = { genre: 'magazine', authority: 'bibutilsgt', continuing: true } as const
const PROCEEDINGS = { genre: 'conference publication', authority: 'marcgt', continuing: false } as const

/** Genre by CSL type; any type not named here is a text of no particular genre. */
const MODS_GENRES: Readonly<Partial<Record<CslItem['type'], ModsGenre>>> = {
  'article-journal': { genre: 'journal article', authority: 'bibutilsgt', host: JOURNAL, typeOfResource: 'text' },
  article: { genre: 'article', authority: 'bibutilsgt', typeOfResource: 'text' },
  review: { genre: 'review', authority: 'marcgt', host: JOURNAL, typeOfResource: 'text' },
  'review-book': { genre: 'review', authority: 'marcgt', host: JOURNAL, typeOfResource: 'text' },
  'article-magazine': { genre: 'magazine article', authority: 'bibutilsgt', host: MAGAZINE, typeOfResource: 'text' },
  'article-newspaper': { genre: 'newspaper article', authority: 'bibutilsgt', host: NEWSPAPER, typeOfResource: 'text' },
  book: { genre: 'book', authority: 'marcgt', typeOfResource: 'text' },
  chapter: { genre: 'book chapter', authority: 'bibutilsgt', host: BOOK, typeOfResource: 'text' },
  'paper-conference': { genre: 'conference publication', authority: 'marcgt', host: PROCEEDINGS, typeOfResource: 'text' },
  thesis: { genre: 'thesis', authority: 'marcgt', typeOfResource: 'text' },
  report: { genre: 'report', authority: 'bibutilsgt', typeOfResource: 'text' },
  dataset: { genre: 'database', authority: 'marcgt', typeOfResource: 'software, multimedia' },
  software: { genre: 'computer program', authority: 'marcgt', typeOfResource: 'software, multimedia' },
  webpage: { genre: 'web page', authority: 'bibutilsgt', typeOfResource: 'text' },
  'post-weblog': { genre: 'web page', authority: 'bibutilsgt', typeOfResource: 'text' },
  map: { genre: 'map', authority: 'marcgt', typeOfResource: 'cartographic' },
  patent: { genre: 'patent', authority: 'marcgt', typeOfResource: 'text' },
  legislation: { genre: 'legislation', authority: 'marcgt', typeOfResource: 'text' },
  legal_case: { genre: 'legal case and case notes', authority: 'marcgt', typeOfResource: 'text' },
  manuscript: { genre: 'manuscript', authority: 'bibutilsgt', typeOfResource: 'text' },
  motion_picture: { genre: 'motion picture', authority: 'marcgt', typeOfResource: 'moving image' },
  song: { genre: 'sound', authority: 'bibutilsgt', typeOfResource: 'sound recording' },
  interview: { genre: 'interview', authority: 'marcgt', typeOfResource: 'text' },
  personal_communication: { genre: 'communication', authority: 'bibutilsgt', typeOfResource: 'text' },
  standard: { genre: 'standard or specification', authority: 'marcgt', typeOfResource: 'text' },
}
const OTHER: ModsGenre = { genre: 'document', authority: 'bibutilsgt', typeOfResource: 'text' }

export function modsGenre(type: CslItem['type']): ModsGenre {
  return MODS_GENRES[type] ?? OTHER
}

function appendName(parent: XmlNode, name: CslName, role: string): void {
  const folded = withParticlesFolded(name)
  const personal = folded.family !== undefined
  const node = parent.ele('name', { type: personal ? 'personal' : 'corporate' })
  if (personal) {
    for (const given of (folded.given ?? '').split(/\s+/).filter(Boolean)) node.ele('namePart', { type: 'given' }).txt(given)
    node.ele('namePart', { type: 'family' }).txt(folded.family as string)
    textElement(node, 'namePart', folded.suffix, { type: 'termsOfAddress' })
  } else node.ele('namePart').txt(folded.literal ?? folded.given ?? '')
  node.ele('role').ele('roleTerm', { authority: 'marcrelator', type: 'text' }).txt(role)
}

function appendPart(parent: XmlNode, item: CslItem): void {
  if (item.volume === undefined && item.issue === undefined && item.page === undefined) return
  const part = parent.ele('part')
  if (item.volume !== undefined) part.ele('detail', { type: 'volume' }).ele('number').txt(String(item.volume))
  if (item.issue !== undefined) part.ele('detail', { type: 'issue' }).ele('number').txt(String(item.issue))
  if (item.page === undefined) return
  const range = pageRange(item.page)
  const extent = part.ele('extent', { unit: 'page' })
  if (range) extent.ele('start').txt(range.first).up().ele('end').txt(range.last)
  else extent.ele('start').txt(String(item.page))
}

function appendOrigin(parent: XmlNode, item: CslItem, continuing: boolean): void {
  const date = isoDate(item.issued)
  if (date === undefined && item.publisher === undefined && item['publisher-place'] === undefined && !continuing) return
  const origin = parent.ele('originInfo')
  textElement(origin, 'dateIssued', date)
  textElement(origin, 'publisher', item.publisher)
  if (item['publisher-place'] !== undefined) origin.ele('place').ele('placeTerm', { type: 'text' }).txt(item['publisher-place'])
  textElement(origin, 'edition', item.edition)
  if (continuing) origin.ele('issuance').txt('continuing')
}

/** Appends the work's `<mods>` element. */
export function appendMods(parent: XmlNode, work: Work, namespaced = false): void {
  const { item } = work
  const genre = modsGenre(item.type)
  const mods = namespaced ? parent.ele(MODS_NAMESPACE, 'mods', { ID: work.key }) : parent.ele('mods', { ID: work.key })
  if (item.title !== undefined) mods.ele('titleInfo').ele('title').txt(item.title)
  for (const name of item.author ?? []) appendName(mods, name, 'author')
  for (const name of item.editor ?? []) appendName(mods, name, 'editor')
  appendOrigin(mods, item, false)
  mods.ele('typeOfResource').txt(genre.typeOfResource)
  mods.ele('genre', { authority: genre.authority }).txt(genre.genre)
  textElement(mods, 'genre', item.genre)
  const language = languageTag(item.language)
  if (language !== undefined) mods.ele('language').ele('languageTerm', { type: 'code', authority: 'rfc5646' }).txt(language)
  textElement(mods, 'abstract', item.abstract)
  for (const keyword of keywords(item.keyword)) mods.ele('subject').ele('topic').txt(keyword)
  // The host is written even without its title: bibutils tells a journal article by its host's genre.
  const hasHost = [item['container-title'], item.ISSN, item.volume, item.issue, item.page].some((value) => value !== undefined)
  if (genre.host !== undefined && hasHost) {
    const host = mods.ele('relatedItem', { type: 'host' })
    if (item['container-title'] !== undefined) host.ele('titleInfo').ele('title').txt(item['container-title'])
    if (genre.host.continuing) host.ele('originInfo').ele('issuance').txt('continuing')
    host.ele('genre', { authority: genre.host.authority }).txt(genre.host.genre)
    textElement(host, 'identifier', item.ISSN, { type: 'issn' })
    appendPart(host, item)
  } else {
    textElement(mods, 'identifier', item.ISSN, { type: 'issn' })
    appendPart(mods, item)
  }
  textElement(mods, 'identifier', item.ISBN, { type: 'isbn' })
  textElement(mods, 'identifier', item.DOI, { type: 'doi' })
  textElement(mods, 'identifier', item.URL, { type: 'uri' })
  mods.ele('identifier', { type: 'citekey' }).txt(work.key)
}

/** MODS 3: a `<modsCollection>` of `<mods>` records, as bibutils writes them, even for one work. */
export function renderMods(works: readonly Work[]): string {
  const document = xmlDocument()
  const collection = document.ele(MODS_NAMESPACE, 'modsCollection')
  for (const work of works) appendMods(collection, work)
  return xmlText(document)
}
