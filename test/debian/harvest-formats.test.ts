import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import jsonld from 'jsonld'
import { describe, expect, it } from 'vitest'
import { harvestTypeMappings, harvestTypeTable } from '../../scripts/harvest-type-table.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { richItem, seed } from '../fixtures/works.js'
import { render, run } from './tools.js'

// The harvesting formats read back by independent parsers from Debian: the DataCite XSD with
// xmllint, MODS with bibutils' xml2bib, both RDF serialisations with Raptor's rapper. A missing tool
// fails the suite.
for (const tool of ['xmllint', 'xml2bib', 'rapper']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed: .ci/run installs it`)
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DATACITE_XSD = join(ROOT, 'schemas/datacite-kernel-4.7/metadata.xsd')
const directory = mkdtempSync(join(tmpdir(), 'citeserve-formats-'))
let files = 0

function fileOf(text: string, extension: string): string {
  const file = join(directory, `${files++}.${extension}`)
  writeFileSync(file, text)
  return file
}

function validDatacite(xml: string): { status: number | null; stderr: string } {
  const result = spawnSync('xmllint', ['--noout', '--schema', DATACITE_XSD, fileOf(xml, 'xml')], { encoding: 'utf8' })
  return { status: result.status, stderr: result.stderr }
}

/** xmllint's text of an XPath expression in a document (namespaces by local-name). */
function xpath(xml: string, expression: string): string {
  return spawnSync('xmllint', ['--xpath', expression, fileOf(xml, 'xml')], { encoding: 'utf8' }).stdout.trim()
}

function ntriples(text: string, syntax: 'turtle' | 'rdfxml'): string[] {
  const result = spawnSync('rapper', ['-q', '-i', syntax, '-o', 'ntriples', fileOf(text, syntax === 'turtle' ? 'ttl' : 'rdf')], {
    encoding: 'utf8',
  })
  expect(result.status, result.stderr).toBe(0)
  return result.stdout.split('\n').filter(Boolean).sort()
}

// What the JSON-LD says that the RDF formats put in their own vocabularies, or do not say.
const JSON_LD_ONLY = new Set(['isPartOf', 'identifier', 'url', 'sameAs', 'headline'].map((name) => `<https://schema.org/${name}>`))

/**
 * The schema.org statements about a work and the nodes its schema.org statements lead to (its
 * people, its publisher), in N-Triples lines: where the RDF formats and the JSON-LD meet.
 */
function schemaGraph(lines: readonly string[]): string[] {
  const triples = lines.map((line) => {
    const [subject, predicate, ...rest] = line.split(' ')
    return { line, subject: subject as string, predicate: predicate as string, object: rest.join(' ').replace(/ \.$/, '') }
  })
  const schema = triples.filter(
    ({ predicate, object }) =>
      (predicate.startsWith('<https://schema.org/') && !JSON_LD_ONLY.has(predicate)) ||
      (predicate.endsWith('#type>') && object.startsWith('<https://schema.org/')),
  )
  // Both test records have a date, and only the work has one.
  const reached = new Set([schema.find(({ predicate }) => predicate === '<https://schema.org/datePublished>')?.subject])
  for (let size = 0; size !== reached.size;) {
    size = reached.size
    for (const { subject, object } of schema) if (reached.has(subject)) reached.add(object)
  }
  return schema.filter(({ subject }) => reached.has(subject)).map(({ line }) => line)
}

const bare: CslItem = { id: 'bare', type: 'dataset', issued: { 'date-parts': [[2019]] } }

describe('DataCite XML validates against the kernel 4.7 XSD', () => {
  it.each([
    ['the seed', seed],
    ['a record with every awkward thing', richItem],
    ['a record with nothing but a type and a year', bare],
  ])('%s', (_, item) => {
    const verdict = validDatacite(render('datacite-xml', item))
    expect(verdict.stderr).toMatch(/validates$/m)
    expect(verdict.status).toBe(0)
  })

  it('with unknown values coded, not invented', () => {
    const xml = render('datacite-xml', bare)
    expect(xpath(xml, "string(//*[local-name()='creatorName'])")).toBe('(:unav)')
    expect(xpath(xml, "string(//*[local-name()='title'])")).toBe('(:unav)')
    expect(xpath(xml, "string(//*[local-name()='publisher'])")).toBe('(:unav)')
    expect(xpath(xml, "string(//*[local-name()='identifier'])")).toBe('(:tba)')
  })
})

describe('bibutils xml2bib reads citeserve’s MODS with every field intact', () => {
  const bibtex = run('xml2bib', [], render('mods', seed, richItem))
  const entries = bibtex.split(/\n(?=@)/)

  it('as two entries with the seed’s type, title, date, pages, language and abstract', () => {
    expect(entries).toHaveLength(2)
    const [first] = entries as [string]
    expect(first).toMatch(/^\uFEFF?@Article\{interleukin-2-in-cancer-2005,/)
    expect(first).toContain('title="Interleukin-2 in cancer"')
    expect(first).toMatch(/year="2005",\nmonth="(Feb|February)",\nday="24"/)
    expect(first).toContain('pages="273--285"')
    expect(first).toContain('language="en"')
    // bibutils writes BibTeX, so the percent signs come back escaped.
    expect(first).toContain(`abstract="${seed.abstract?.replaceAll('%', '{\\%}')}"`)
  })

  it('with names, journal, volume, issue, pages and DOI of the awkward record', () => {
    const second = entries[1] as string
    expect(second).toContain('author="van der Berg, Jan\nand Beethoven, Ludwig van\nand Smith Jr., John\nand {WHO Consortium}"')
    expect(second).toContain('journal="Journal of Awkward Text"')
    expect(second).toContain('volume="12"')
    expect(second).toContain('number="3"')
    expect(second).toContain('pages="100--110"')
    expect(second).toContain('doi="10.1234/ABC.def"')
  })
})

describe('rapper parses the Turtle and the RDF/XML into the same triples', () => {
  it.each([
    ['the seed', [seed]],
    ['the awkward record', [richItem]],
    ['both together', [seed, richItem]],
  ])('%s', (_, items) => {
    const fromTurtle = ntriples(render('turtle', ...items), 'turtle')
    expect(fromTurtle.length).toBeGreaterThan(10)
    expect(ntriples(render('rdf-xml', ...items), 'rdfxml')).toEqual(fromTurtle)
  })

  it('and the schema.org statements among them are the JSON-LD’s graph', async () => {
    const documentLoader = async (url: string) => ({
      contextUrl: undefined,
      documentUrl: url,
      document: { '@context': { '@vocab': 'https://schema.org/' } },
    })
    for (const item of [seed, richItem]) {
      const fromRdf = ntriples(render('turtle', item), 'turtle')
      const jsonLdQuads = (await jsonld.toRDF(JSON.parse(render('schema-org', item)) as object, {
        format: 'application/n-quads',
        documentLoader,
      })) as unknown as string
      // jsonld.js canonises N-Quads text too, which its type declarations do not know.
      const canonize = jsonld.canonize as unknown as (input: string, options: object) => Promise<string>
      const canonical = (lines: string[]) => canonize(lines.join('\n'), { algorithm: 'URDNA2015', inputFormat: 'application/n-quads' })
      const fromJsonLd = jsonLdQuads.split('\n').filter(Boolean)
      expect(await canonical(schemaGraph(fromRdf))).toBe(await canonical(schemaGraph(fromJsonLd)))
    }
  })
})

describe('type mapping of the harvesting formats', () => {
  const doc = readFileSync(join(ROOT, 'docs/formats-harvesting.md'), 'utf8')

  it('is in docs/formats-harvesting.md as the formats have it', () => {
    expect(doc).toContain(harvestTypeTable())
  })

  it.each(harvestTypeMappings)(
    '$csl → $datacite, $mods, $dcmi, bibo:$bibo, read back by xmllint and rapper',
    ({ csl, datacite, mods, dcmi, bibo }) => {
      const item: CslItem = { id: `a-${csl}`, type: csl as CslItem['type'], title: 'A title', issued: { 'date-parts': [[2001]] } }
      const dataciteXml = render('datacite-xml', item)
      expect(validDatacite(dataciteXml).status).toBe(0)
      expect(xpath(dataciteXml, "string(//*[local-name()='resourceType']/@resourceTypeGeneral)")).toBe(datacite)
      expect(xpath(render('mods', item), "string(//*[local-name()='mods']/*[local-name()='genre'][1])")).toBe(mods)
      expect(xpath(render('dublin-core', item), "string(//*[local-name()='type'][1])")).toBe(dcmi)
      expect(ntriples(render('rdf-xml', item), 'rdfxml')).toContain(
        `_:w0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/ontology/bibo/${bibo}> .`,
      )
    },
  )
})
