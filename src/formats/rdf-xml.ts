import type { Quad, Quad_Subject } from 'n3'
import type { Work } from '../catalogue/catalogue.js'
import { PREFIXES, rdfQuads } from './rdf.js'
import { xmlDocument, xmlText, type XmlNode } from './xml.js'

// RDF/XML of the same statements as the Turtle. npm has RDF/XML parsers but no maintained writer;
// the statements are few and flat, so each subject becomes one rdf:Description.

/** The prefixed element name of a predicate IRI, from the vocabularies rdf.ts uses. */
function qualifiedName(iri: string): string {
  for (const [prefix, namespace] of Object.entries(PREFIXES)) {
    if (iri.startsWith(namespace)) return `${prefix}:${iri.slice(namespace.length)}`
  }
  throw new Error(`no prefix for predicate ${iri}`)
}

function subjectAttribute(subject: Quad_Subject): Record<string, string> {
  return subject.termType === 'BlankNode' ? { 'rdf:nodeID': subject.value } : { 'rdf:about': subject.value }
}

function appendStatement(description: XmlNode, quad: Quad): void {
  const name = qualifiedName(quad.predicate.value)
  const { object } = quad
  if (object.termType === 'BlankNode') description.ele(name, { 'rdf:nodeID': object.value })
  else if (object.termType === 'NamedNode') description.ele(name, { 'rdf:resource': object.value })
  else if (object.termType === 'Literal') {
    const attributes: Record<string, string> = object.language
      ? { 'xml:lang': object.language }
      : object.datatype.value === `${PREFIXES.xsd}string`
        ? {}
        : { 'rdf:datatype': object.datatype.value }
    description.ele(name, attributes).txt(object.value)
  }
}

export function renderRdfXml(works: readonly Work[], position = 0): string {
  const document = xmlDocument()
  const root = document.ele(
    PREFIXES.rdf,
    'rdf:RDF',
    Object.fromEntries(Object.entries(PREFIXES).map(([prefix, iri]) => [`xmlns:${prefix}`, iri])),
  )
  const bySubject = new Map<string, { subject: Quad_Subject; quads: Quad[] }>()
  for (const quad of rdfQuads(works, position)) {
    const key = `${quad.subject.termType}:${quad.subject.value}`
    const entry = bySubject.get(key) ?? { subject: quad.subject, quads: [] }
    entry.quads.push(quad)
    bySubject.set(key, entry)
  }
  for (const { subject, quads } of bySubject.values()) {
    const description = root.ele('rdf:Description', subjectAttribute(subject))
    for (const quad of quads) appendStatement(description, quad)
  }
  return xmlText(document)
}
