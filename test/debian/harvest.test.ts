import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../../src/catalogue/schema.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { publish } from '../fixtures/data-file.js'
import { ServerProcess } from '../fixtures/server-process.js'
import { richItem, seed } from '../fixtures/works.js'

// Real harvesters from Debian collect the whole catalogue from a running server, in every format,
// and what they got is compared with the catalogue record by record; every kind of response is
// validated against the OAI-PMH schema with xmllint. A missing tool fails the suite.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RESPONSES_XSD = join(ROOT, 'schemas/oai-pmh/responses.xsd')
const HARVEST_SCRIPT = join(ROOT, 'test/debian/http-oai-harvest.pl')

for (const [tool, check] of [
  ['xmllint (libxml2-utils)', ['xmllint', '--version']],
  ['HTTP::OAI (libhttp-oai-perl)', ['perl', '-MHTTP::OAI', '-e', '1']],
  ['catmandu with Catmandu::Importer::OAI (libcatmandu-oai-perl)', ['perl', '-MCatmandu::Importer::OAI', '-e', '1']],
] as const) {
  if (spawnSync(check[0], check.slice(1)).status !== 0) throw new Error(`${tool} is not installed: .ci/run installs it`)
}

const undated: CslItem = { id: 'undated note/1', type: 'report', title: 'An undated note' }
const items: CslItem[] = [seed, richItem, undated, ...syntheticCatalogue(1100)]
const byId = new Map(items.map((item) => [String(item.id), item]))
const yearOf = (item: CslItem) => String(item.issued?.['date-parts']?.[0]?.[0] ?? '')

let server: ServerProcess
let base: string
let directory: string

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'citeserve-harvest-'))
  const file = join(directory, 'works.json')
  await publish(file, JSON.stringify(items))
  server = new ServerProcess({ DATA_FILE: file, PORT: '0', HOST: '127.0.0.1', WARM_WORKS: '0', REQUEST_TIMEOUT: '120' })
  base = await server.listening()
}, 120_000)
afterAll(() => {
  server?.child.kill('SIGTERM')
})

/** xmllint's verdict on a document, against `schema`. */
async function validate(xml: string, schema = RESPONSES_XSD): Promise<{ status: number | null; output: string }> {
  const file = join(directory, `doc-${Math.random().toString(36).slice(2)}.xml`)
  await writeFile(file, xml)
  const result = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' })
  return {
    status: result.status,
    output: result.stderr
      .split('\n')
      .filter((line) => !line.includes('Skipping import'))
      .join('\n'),
  }
}

const get = async (query: string) => (await fetch(`${base}/oai?${query}`)).text()
const oaiId = (id: string) => `oai:127.0.0.1:${encodeURIComponent(id)}`
const localId = (identifier: string) => decodeURIComponent(identifier.replace(/^oai:127\.0\.0\.1:/, ''))
const unescape = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] as string)
const folded = (text: string) => text.replace(/\s+/g, ' ').trim()

/** What a harvest of `prefix` must hold: every work the format can give, in catalogue order. */
const expectedIds = (prefix: string) =>
  items.filter((item) => prefix !== 'datacite' || item.issued !== undefined).map((item) => String(item.id))

describe('OAI-PMH responses are valid against the OAI-PMH schema', () => {
  it.each([
    'verb=Identify',
    'verb=ListMetadataFormats',
    `verb=ListMetadataFormats&identifier=${encodeURIComponent(oaiId('undated note/1'))}`,
    'verb=ListSets',
    'verb=ListIdentifiers&metadataPrefix=oai_dc',
    'verb=ListRecords&metadataPrefix=oai_dc',
    'verb=ListRecords&metadataPrefix=datacite',
    'verb=ListRecords&metadataPrefix=oai_dc&set=report',
    `verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId('berg-2020-fish')}`,
    `verb=GetRecord&metadataPrefix=datacite&identifier=${oaiId('interleukin-2-in-cancer-2005')}`,
    'verb=Nonsense',
    'verb=ListRecords&metadataPrefix=oai_dc&from=yesterday',
    'verb=ListRecords&resumptionToken=forged',
    'verb=ListRecords&metadataPrefix=marc21',
    `verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId('no such work')}`,
    'verb=ListRecords&metadataPrefix=oai_dc&until=1990-01-01',
  ])('%s', async (query) => {
    const verdict = await validate(await get(query))
    expect(verdict.output).toMatch(/validates$/m)
    expect(verdict.status).toBe(0)
  })

  it('and the last page of a list, with its empty token', async () => {
    let last = await get('verb=ListRecords&metadataPrefix=oai_dc')
    for (
      let token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(last)?.[1];
      token !== undefined;
      token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(last)?.[1]
    )
      last = await get(`verb=ListRecords&resumptionToken=${token}`)
    expect(last).toMatch(/<resumptionToken [^>]*\/>/)
    expect((await validate(last)).status).toBe(0)
  })

  it('and MODS records in their envelope (checked laxly: Debian ships no MODS schema)', async () => {
    const lax = join(directory, 'OAI-PMH-lax.xsd')
    await writeFile(
      lax,
      (await readFile(join(ROOT, 'schemas/oai-pmh/OAI-PMH.xsd'), 'utf8')).replaceAll('processContents="strict"', 'processContents="lax"'),
    )
    expect((await validate(await get('verb=ListRecords&metadataPrefix=mods'), lax)).status).toBe(0)
  })
})

describe.each(['oai_dc', 'mods', 'datacite'])('the whole catalogue harvested in %s', (prefix) => {
  it('by HTTP::OAI: every record once, with its title and year', () => {
    const lines = execFileSync('perl', [HARVEST_SCRIPT, `${base}/oai`, prefix], { encoding: 'utf8', maxBuffer: 64 << 20 })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'))
    expect(lines.map(([identifier]) => localId(identifier as string))).toEqual(expectedIds(prefix))
    for (const [identifier, title, year] of lines) {
      const item = byId.get(localId(identifier as string)) as CslItem
      expect(title, identifier).toBe(item.title)
      expect(year, identifier).toBe(yearOf(item))
    }
  })

  it('by Catmandu: every record once, with its title', () => {
    const handler = prefix === 'oai_dc' ? 'oai_dc' : 'raw'
    const output = execFileSync(
      'catmandu',
      ['convert', 'OAI', '--url', `${base}/oai`, '--metadataPrefix', prefix, '--handler', handler, 'to', 'JSON', '--line_delimited', '1'],
      { encoding: 'utf8', maxBuffer: 256 << 20 },
    )
    const records = output
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { _id: string; title?: string[]; _metadata?: string })
    expect(records.map((record) => localId(record._id))).toEqual(expectedIds(prefix))
    for (const record of records) {
      const title =
        record.title?.[0] ?? unescape(/<(?:titleInfo>\s*<)?title(?: [^>]*)?>([^<]*)<\/title>/.exec(record._metadata ?? '')?.[1] ?? '')
      expect(folded(title), record._id).toBe(folded(byId.get(localId(record._id))?.title ?? ''))
    }
  })
})
