import { create, fragment } from 'xmlbuilder2'
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js'
import type { Work } from '../catalogue/catalogue.js'

export type XmlNode = XMLBuilder

export const XSI = 'http://www.w3.org/2001/XMLSchema-instance'

/** A new XML document; characters XML 1.0 cannot carry (control characters) are dropped, not written. */
export function xmlDocument(): XmlNode {
  return create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' })
}

export function xmlText(document: XmlNode): string {
  return `${document.end({ prettyPrint: true })}\n`
}

/**
 * Elements written by `build` as compact text, for documents assembled from parts (OAI-PMH pages):
 * each part is a small tree that is written and dropped, never one tree for the whole page.
 */
export function xmlFragment(build: (parent: XmlNode) => void): string {
  const parent = fragment({ invalidCharReplacement: '' })
  build(parent)
  return parent.end({ prettyPrint: false })
}

// What XML 1.0 cannot carry (its Char production): dropped, as xmlDocument drops it.
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/**
 * Text content written as xmlbuilder2 writes it, for the few parts written as text where a tree per
 * element is most of the cost (the records of an OAI-PMH harvest).
 */
export function xmlEscape(text: string): string {
  return text.replace(NOT_XML_CHARACTER, '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** Adds a child element with text, unless there is no text. */
export function textElement(parent: XmlNode, name: string, text: string | number | undefined, attributes?: Record<string, string>): void {
  if (text === undefined || String(text) === '') return
  parent.ele(name, attributes).txt(String(text))
}

/**
 * One work's record as the document itself; several inside `wrapper`, for formats whose schema has no
 * element for a list of records (each record in it stays valid on its own).
 */
export function xmlRecords(works: readonly Work[], append: (parent: XmlNode, work: Work) => void, wrapper = 'records'): string {
  const document = xmlDocument()
  if (works.length === 1) append(document, works[0] as Work)
  else {
    const list = document.ele(wrapper)
    for (const work of works) append(list, work)
  }
  return xmlText(document)
}
