import type { Work } from '../catalogue/catalogue.js'
import type { CslItem } from '../catalogue/schema.js'
import { isoDate, keywords, languageTag } from './csl-fields.js'
import { invertedName } from './names.js'
import { XSI, xmlEscape, xmlRecords, type XmlNode } from './xml.js'

// Unqualified Dublin Core in the oai_dc container, which every OAI-PMH repository must offer.

export const OAI_DC_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/oai_dc/'
export const OAI_DC_SCHEMA = 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd'
const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/'

/** DCMI Type by CSL type; any type not named here is Text. */
export const DCMI_TYPES: Readonly<Partial<Record<CslItem['type'], string>>> = {
  broadcast: 'MovingImage',
  collection: 'Collection',
  dataset: 'Dataset',
  event: 'Event',
  figure: 'StillImage',
  graphic: 'StillImage',
  map: 'StillImage',
  motion_picture: 'MovingImage',
  performance: 'Event',
  software: 'Software',
  song: 'Sound',
  webpage: 'InteractiveResource',
}

/** "Journal 12(3), 100-110": where the work was published, in one line. */
function source(item: CslItem): string | undefined {
  const container = item['container-title']
  if (container === undefined) return undefined
  const volume = item.volume === undefined ? '' : ` ${item.volume}${item.issue === undefined ? '' : `(${item.issue})`}`
  return `${container}${volume}${item.page === undefined ? '' : `, ${item.page}`}`
}

/** The work's Dublin Core elements in order, by local name, each with its text; none is empty. */
function dublinCoreElements(item: CslItem): (readonly [string, string])[] {
  const elements: (readonly [string, string])[] = []
  const add = (name: string, text: string | undefined) => {
    if (text !== undefined && text !== '') elements.push([name, text])
  }
  add('title', item.title)
  for (const name of item.author ?? []) add('creator', invertedName(name))
  for (const name of item.editor ?? []) add('contributor', invertedName(name))
  for (const keyword of keywords(item.keyword)) add('subject', keyword)
  add('description', item.abstract)
  add('publisher', item.publisher)
  add('date', isoDate(item.issued))
  add('type', DCMI_TYPES[item.type] ?? 'Text')
  add('type', item.genre)
  if (item.DOI !== undefined) add('identifier', `https://doi.org/${item.DOI}`)
  add('identifier', item.URL)
  add('identifier', item.ISBN === undefined ? undefined : `urn:isbn:${item.ISBN}`)
  add('source', source(item))
  add('language', languageTag(item.language))
  return elements
}

/**
 * Appends the work's `<oai_dc:dc>` element; inside another document (OAI-PMH), without a schema
 * location, whose xsi prefix would be declared only there and lost to harvesters that cut records out.
 */
export function appendDublinCore(parent: XmlNode, work: Work, standalone = true): void {
  const { item } = work
  const location = { 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${OAI_DC_NAMESPACE} ${OAI_DC_SCHEMA}` }
  const dc = parent.ele(OAI_DC_NAMESPACE, 'oai_dc:dc', { 'xmlns:dc': DC_NAMESPACE, ...(standalone ? location : {}) })
  for (const [name, text] of dublinCoreElements(item)) dc.ele(`dc:${name}`).txt(text)
}

/**
 * The `<oai_dc:dc>` element of an OAI-PMH record (as appendDublinCore writes it inside one), written
 * as text: whole harvests are mostly oai_dc records, and a tree per record was most of their cost.
 */
export function dublinCoreRecord(work: Work): string {
  const elements = dublinCoreElements(work.item).map(([name, text]) => `<dc:${name}>${xmlEscape(text)}</dc:${name}>`)
  return `<oai_dc:dc xmlns:oai_dc="${OAI_DC_NAMESPACE}" xmlns:dc="${DC_NAMESPACE}">${elements.join('')}</oai_dc:dc>`
}

/** oai_dc: one record, or several inside `<records>` (oai_dc has no list element). */
export function renderDublinCore(works: readonly Work[]): string {
  return xmlRecords(works, (parent, work) => appendDublinCore(parent, work))
}
