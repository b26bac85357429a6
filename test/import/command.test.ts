import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { jsonReport, runCommand, loadWorks } from './read.js'

const BIBTEX = String.raw`@string{jat = {Journal of Awkward Text}}
@article{berg2020,
  author = {van der Berg, Jan and M{\"u}ller, Anna},
  title = {Fish {\&} Chips: {NASA}'s $\alpha$ -- a study},
  journal = jat,
  year = 2020, month = may,
  pages = {100--110},
  doi = {10.1234/ABC.def},
  indextitle = {Fish and chips},
}
@book{nokey,
  author = {Smith, John},
  title = {A Book},
  year = {1999},
}
`

const RIS = [
  'TY  - JOUR',
  'TI  - Fish and chips, revised',
  'AU  - Berg, Jan',
  'DO  - https://doi.org/10.1234/abc.DEF',
  'PY  - 2021',
  'ER  - ',
  '',
].join('\r\n')

const ENDNOTE = ['%0 Journal Article', '%A Okafor, Chidi', '%T The first word of a title', '%D 2019', '%J Annals', ''].join('\n')

let directory: string
let into: string

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'citeserve-import-test-'))
  into = join(directory, 'works.json')
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

async function file(name: string, text: string): Promise<string> {
  const path = join(directory, name)
  await writeFile(path, text)
  return path
}

describe('citeserve import', () => {
  it('adds BibTeX records to a new data file that the service loads, TeX read as Unicode', async () => {
    const result = await runCommand([await file('refs.bib', BIBTEX), '--into', into])
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^2 records: 2 added, 0 updated, 0 unchanged, 0 skipped, 0 rejected; written to /m)
    const catalogue = await loadWorks(into)
    const berg = catalogue.find('berg2020')?.item
    expect(berg?.title).toBe("Fish & Chips: NASA's α – a study")
    expect(berg?.['container-title']).toBe('Journal of Awkward Text')
    expect(berg?.author?.map((name) => name.family)).toEqual(['Berg', 'Müller'])
    expect(berg?.issued).toEqual({ 'date-parts': [[2020, 5]] })
    // A field with no CSL variable is reported and kept, never dropped.
    expect(result.stdout).toContain('not carried: indextitle')
    expect(berg?.custom).toEqual({ bibtex: { indextitle: 'Fish and chips' } })
    expect(await readdir(directory)).toEqual(['refs.bib', 'works.json'])
  })

  it('reports every record unchanged when the same file is imported again, made ids included', async () => {
    const bib = await file('refs.bib', BIBTEX)
    const enw = await file('refs.enw', ENDNOTE)
    expect((await runCommand([bib, enw, '--into', into])).status).toBe(0)
    const before = await readFile(into, 'utf8')
    const again = jsonReport((await runCommand([bib, enw, '--into', into, '--json'])).stdout)
    expect(again.totals).toEqual({ added: 0, updated: 0, unchanged: 3, skipped: 0, rejected: 0 })
    expect(again.records.map((record) => record.id)).toEqual(['berg2020', 'nokey', 'okafor-2019-first'])
    expect(await readFile(into, 'utf8')).toBe(before)
  })

  it('matches by DOI in any spelling: fails by default, replaces or skips when told', async () => {
    await runCommand([await file('refs.bib', BIBTEX), '--into', into])
    const ris = await file('update.ris', RIS)
    const before = await readFile(into, 'utf8')

    const failed = await runCommand([ris, '--into', into])
    expect(failed.status).toBe(1)
    expect(failed.stdout).toMatch(/^rejected +berg2020 .*has the DOI of work berg2020/m)
    expect(await readFile(into, 'utf8')).toBe(before)

    const skipped = jsonReport((await runCommand([ris, '--into', into, '--on-conflict', 'skip', '--json'])).stdout)
    expect(skipped.totals.skipped).toBe(1)

    const replaced = await runCommand([ris, '--into', into, '--on-conflict', 'replace'])
    expect(replaced.status).toBe(0)
    const catalogue = await loadWorks(into)
    expect(catalogue.size).toBe(2)
    expect(catalogue.find('berg2020')?.item.title).toBe('Fish and chips, revised')
  })

  it('writes nothing when a record is rejected, and the rest with --allow-rejects', async () => {
    const bad = await file(
      'bad.json',
      JSON.stringify([
        { id: 'ok', type: 'book', title: 'Fine' },
        { id: 'bad', type: 'book', page: { from: 1 } },
      ]),
    )
    const rejected = await runCommand([bad, '--into', into])
    expect(rejected.status).toBe(1)
    expect(rejected.stdout).toMatch(/^rejected +bad .*field "page"/m)
    expect(await readdir(directory)).toEqual(['bad.json'])
    const allowed = await runCommand([bad, '--into', into, '--allow-rejects'])
    expect(allowed.status).toBe(0)
    expect((await loadWorks(into)).size).toBe(1)
  })

  it('--dry-run reports and writes nothing', async () => {
    const result = await runCommand([await file('refs.bib', BIBTEX), '--into', into, '--dry-run'])
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('2 added')
    expect(await readdir(directory)).toEqual(['refs.bib'])
  })

  it('reads standard input with -, detecting the format', async () => {
    const result = jsonReport((await runCommand(['-', '--into', into, '--json'], RIS)).stdout)
    expect(result.totals.added).toBe(1)
    expect(result.records[0]?.id).toBe('berg-2021-fish')
    expect((await loadWorks(into)).find('10.1234/ABC.DEF')?.id).toBe('berg-2021-fish')
  })

  it('keeps what CSL-JSON from other tools carries beyond the schema, and says so', async () => {
    const item = {
      id: 'zotero-1',
      type: 'journalArticle',
      title: 'Lenient',
      originalDate: '1900-05',
      event_title: 'A Conference',
      author: [{ family: 'Ng', given: 'Ada', sequence: 'first', affiliation: [{ name: 'Somewhere' }] }],
      note: 'Publisher Place: Basel\nA note of the user',
      'zotero-key': 'ABCD1234',
    }
    const result = jsonReport((await runCommand(['-', '--into', into, '--json'], JSON.stringify(item))).stdout)
    expect(result.totals.added).toBe(1)
    const read = (await loadWorks(into)).find('zotero-1')?.item
    expect(read).toMatchObject({
      type: 'article-journal',
      'original-date': { 'date-parts': [[1900, 5]] },
      'event-title': 'A Conference',
      'publisher-place': 'Basel',
      note: 'A note of the user',
      author: [{ family: 'Ng', given: 'Ada' }],
      custom: { 'zotero-key': 'ABCD1234', 'author[0]': { sequence: 'first', affiliation: [{ name: 'Somewhere' }] } },
    })
    const report = result.records[0]
    expect(report?.notCarried.map(({ field }) => field).sort()).toEqual(['author[0].affiliation', 'author[0].sequence', 'zotero-key'])
    expect(report?.renamed.map(({ to }) => to).sort()).toEqual(['article-journal', 'event-title', 'original-date', 'publisher-place'])
  })

  it('refuses a command line it cannot run, with status 2', async () => {
    expect((await runCommand([])).status).toBe(2)
    expect((await runCommand(['x.bib'])).stderr).toContain('--into')
    expect((await runCommand([join(directory, 'missing.bib'), '--into', into])).stderr).toContain('no such file')
    expect((await runCommand(['-', '--into', into, '--on-conflict', 'merge'])).stderr).toContain('--on-conflict')
    expect((await runCommand(['-', '--into', into], 'just some words')).stderr).toContain('--from')
    expect((await runCommand(['-', '--into', 'postgres://postgres@127.0.0.1:1/none'])).stderr).toContain('cannot open the database')
  })
})
