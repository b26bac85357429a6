import { DataFactory, Writer, type Quad, type Quad_Object, type Quad_Subject } from 'n3'
import type { Work } from '../catalogue/catalogue.js'
import type { CslDate, CslItem, CslName } from '../catalogue/schema.js'
import { isoDate, joinedDate, keywords, languageTag, pageRange } from './csl-fields.js'
import { SCHEMA_ORG_TYPES, schemaOrgPerson } from './schema-org.js'

// One RDF graph per work, in DCTERMS, BIBO and FOAF, with the schema.org statements the JSON-LD
// makes about the same nodes, so that both say the same where the vocabularies meet. A work with a
// DOI is named by its doi.org URL, as in the JSON-LD; other nodes are blank.

export const PREFIXES = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcterms: 'http://purl.org/dc/terms/',
  bibo: 'http://purl.org/ontology/bibo/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  schema: 'https://schema.org/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const

type Prefix = keyof typeof PREFIXES
const term = (prefix: Prefix, local: string) => DataFactory.namedNode(`${PREFIXES[prefix]}${local}`)
const RDF_TYPE = term('rdf', 'type')

/** BIBO class by CSL type; any type not named here is a bibo:Document. */
export const BIBO_TYPES: Readonly<Partial<Record<CslItem['type'], string>>> = {
  article: 'Article',
  'article-journal': 'AcademicArticle',
  'article-magazine': 'Article',
  'article-newspaper': 'Article',
  bill: 'Bill',
  book: 'Book',
  broadcast: 'AudioVisualDocument',
  chapter: 'Chapter',
  collection: 'Collection',
  figure: 'Image',
  graphic: 'Image',
  hearing: 'Hearing',
  interview: 'Interview',
  legal_case: 'LegalCaseDocument',
  legislation: 'Legislation',
  manuscript: 'Manuscript',
  map: 'Map',
  motion_picture: 'Film',
  'paper-conference': 'AcademicArticle',
  patent: 'Patent',
  performance: 'Performance',
  periodical: 'Periodical',
  personal_communication: 'PersonalCommunication',
  regulation: 'LegalDocument',
  report: 'Report',
  review: 'AcademicArticle',
  'review-book': 'AcademicArticle',
  song: 'AudioDocument',
  standard: 'Standard',
  thesis: 'Thesis',
  treaty: 'LegalDocument',
  webpage: 'Webpage',
}

/** The BIBO class of the container a work is part of. */
const CONTAINER_CLASSES: Readonly<Partial<Record<CslItem['type'], string>>> = {
  chapter: 'Book',
  'paper-conference': 'Proceedings',
  'article-newspaper': 'Newspaper',
  'article-magazine': 'Magazine',
}

/** xsd:date, xsd:gYearMonth or xsd:gYear, as far as the date goes; a plain literal otherwise. */
function dateLiteral(date: CslDate | undefined) {
  const parts = date?.['date-parts']?.[0]
  const text = joinedDate(date, '-')
  if (text === undefined || !/^\d{4}(-\d{2}){0,2}$/.test(text)) return undefined
  return DataFactory.literal(text, term('xsd', ['gYear', 'gYearMonth', 'date'][(parts?.length ?? 1) - 1] as string))
}

class Graph {
  readonly quads: Quad[] = []
  add(subject: Quad_Subject, predicate: ReturnType<typeof term>, object: Quad_Object | string | undefined): void {
    if (object === undefined) return
    this.quads.push(DataFactory.quad(subject, predicate, typeof object === 'string' ? DataFactory.literal(object) : object))
  }
}

function describeAgent(graph: Graph, node: Quad_Subject, name: CslName): void {
  const schemaNode = schemaOrgPerson(name)
  const personal = schemaNode['@type'] === 'Person'
  graph.add(node, RDF_TYPE, term('foaf', personal ? 'Person' : 'Organization'))
  graph.add(node, RDF_TYPE, term('schema', personal ? 'Person' : 'Organization'))
  for (const [property, value] of Object.entries(schemaNode)) {
    if (property === '@type' || typeof value !== 'string') continue
    graph.add(node, term('foaf', property), value)
    graph.add(node, term('schema', property), value)
  }
}

function describeWork(graph: Graph, work: Work, index: number): void {
  const { item } = work
  const node = item.DOI === undefined ? DataFactory.blankNode(`w${index}`) : DataFactory.namedNode(`https://doi.org/${item.DOI}`)
  const both = (dcterms: string, schema: string, value: string | undefined) => {
    graph.add(node, term('dcterms', dcterms), value)
    graph.add(node, term('schema', schema), value)
  }
  graph.add(node, RDF_TYPE, term('bibo', BIBO_TYPES[item.type] ?? 'Document'))
  graph.add(node, RDF_TYPE, term('schema', SCHEMA_ORG_TYPES[item.type] ?? 'CreativeWork'))
  graph.add(node, term('dcterms', 'identifier'), work.id)
  graph.add(node, term('bibo', 'doi'), item.DOI)
  both('title', 'name', item.title)
  const agents = (names: readonly CslName[] | undefined, role: string, dcterms: ReturnType<typeof term>, schema: string) =>
    names?.forEach((name, position) => {
      const agent = DataFactory.blankNode(`w${index}${role}${position}`)
      graph.add(node, dcterms, agent)
      graph.add(node, term('schema', schema), agent)
      describeAgent(graph, agent, name)
    })
  agents(item.author, 'a', term('dcterms', 'creator'), 'author')
  agents(item.editor, 'e', term('bibo', 'editor'), 'editor')
  graph.add(node, term('dcterms', 'issued'), dateLiteral(item.issued))
  graph.add(node, term('schema', 'datePublished'), isoDate(item.issued))
  both('abstract', 'abstract', item.abstract)
  both('language', 'inLanguage', languageTag(item.language) ?? item.language)
  graph.add(node, term('schema', 'genre'), item.genre)
  for (const keyword of keywords(item.keyword)) graph.add(node, term('dcterms', 'subject'), keyword)
  graph.add(node, term('schema', 'keywords'), item.keyword)
  if (item.publisher !== undefined) {
    const publisher = DataFactory.blankNode(`w${index}p`)
    graph.add(node, term('dcterms', 'publisher'), publisher)
    graph.add(node, term('schema', 'publisher'), publisher)
    describeAgent(graph, publisher, { literal: item.publisher })
  }
  graph.add(node, term('bibo', 'volume'), item.volume === undefined ? undefined : String(item.volume))
  graph.add(node, term('bibo', 'issue'), item.issue === undefined ? undefined : String(item.issue))
  if (item.page !== undefined) {
    const range = pageRange(item.page)
    graph.add(node, term('bibo', 'pages'), String(item.page))
    graph.add(node, term('schema', 'pagination'), String(item.page))
    graph.add(node, term('bibo', 'pageStart'), range?.first)
    graph.add(node, term('schema', 'pageStart'), range?.first)
    graph.add(node, term('bibo', 'pageEnd'), range?.last)
    graph.add(node, term('schema', 'pageEnd'), range?.last)
  }
  if (item['container-title'] !== undefined) {
    const container = DataFactory.blankNode(`w${index}c`)
    graph.add(node, term('dcterms', 'isPartOf'), container)
    graph.add(container, RDF_TYPE, term('bibo', CONTAINER_CLASSES[item.type] ?? 'Journal'))
    graph.add(container, term('dcterms', 'title'), item['container-title'])
    graph.add(container, term('bibo', 'issn'), item.ISSN)
  }
  graph.add(node, term('bibo', 'isbn'), item.ISBN)
}

/** The RDF statements about the works, in a stable order. */
export function rdfQuads(works: readonly Work[], position = 0): Quad[] {
  const graph = new Graph()
  works.forEach((work, index) => describeWork(graph, work, position + index))
  return graph.quads
}

/** Turtle, written by n3 (whose writer answers at once when it writes to a string). */
export function renderTurtle(works: readonly Work[], position = 0): string {
  const writer = new Writer({ prefixes: PREFIXES })
  writer.addQuads(rdfQuads(works, position))
  let text = ''
  writer.end((error, result: string) => {
    if (error) throw error
    text = result
  })
  return text
}
