import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonReport, runCommand } from '../import/read.js'
import { richItem, seed } from '../fixtures/works.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

// `citeserve import … --into postgres://…`: a new database migrated and filled through the bulk
// loader, with the matching and report of an import into a data file.

const BIBTEX = String.raw`@article{berg2020,
  author = {van der Berg, Jan and M{\"u}ller, Anna},
  title = {Fish {\&} Chips},
  journal = {Journal of Awkward Text},
  year = 2020,
  doi = {10.1234/FISH.1},
  indextitle = {Fish and chips},
}
@book{smith1999, author = {Smith, John}, title = {A Book}, year = {1999}}
`
const RIS = ['TY  - JOUR', 'TI  - Fish and chips, revised', 'AU  - Berg, Jan', 'DO  - doi:10.1234/fish.1', 'PY  - 2021', 'ER  - ', ''].join(
  '\r\n',
)

let database: TestDatabase
let directory: string
beforeAll(async () => {
  database = await createTestDatabase({ migrate: false })
  directory = await mkdtemp(join(tmpdir(), 'citeserve-import-postgres-'))
})
afterAll(async () => {
  await database?.drop()
  if (directory) await rm(directory, { recursive: true, force: true })
})

async function file(name: string, text: string): Promise<string> {
  const path = join(directory, name)
  await writeFile(path, text)
  return path
}

const into = () => database.url

describe('citeserve import --into postgres://', () => {
  it('migrates a new database and adds a data file’s works and BibTeX records, found by id and DOI', async () => {
    const catalogue = await file('works.json', JSON.stringify([seed, richItem]))
    const result = await runCommand([catalogue, await file('library.bib', BIBTEX), '--into', into()])
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/4 records: 4 added, .*; written to the database 127\.0\.0\.1:5432\/citeserve_test_/)
    expect(result.stdout).toContain('indextitle ×1')
    expect(result.stdout).not.toContain('postgres@')
    const store = await database.open()
    expect((await store.find(String(seed.id)))?.item).toEqual(seed)
    expect((await store.find(`https://doi.org/${richItem.DOI}`))?.id).toBe(richItem.id)
    expect((await store.find('10.1234/fish.1'))?.item).toMatchObject({ id: 'berg2020', title: 'Fish & Chips' })
    expect((await store.state()).works).toBe(4)
  })

  it('matches as a data file import does: unchanged again, a differing record rejected, then replaced when told', async () => {
    const bib = await file('again.bib', BIBTEX)
    expect(jsonReport((await runCommand([bib, '--into', into(), '--json'])).stdout).totals).toMatchObject({ unchanged: 2 })

    const ris = await file('revised.ris', RIS)
    const extra = await file('extra.bib', '@misc{extra2022, title = {Extra}, year = 2022}\n')
    const refused = await runCommand([ris, extra, '--into', into(), '--json'])
    expect(refused.status).toBe(1)
    const report = jsonReport(refused.stdout)
    expect(report.records[0]).toMatchObject({ outcome: 'rejected', id: 'berg2020' })
    expect(report.written).toBe(false)
    const store = await database.open()
    expect(await store.find('extra2022')).toBeUndefined()

    const replaced = jsonReport((await runCommand([ris, extra, '--into', into(), '--on-conflict', 'replace', '--json'])).stdout)
    expect(replaced.totals).toMatchObject({ updated: 1, added: 1, rejected: 0 })
    const after = await database.open()
    expect((await after.find('berg2020'))?.item).toMatchObject({ title: 'Fish and chips, revised', DOI: '10.1234/fish.1' })
    expect(await after.find('extra2022')).toBeDefined()
    expect((await after.state()).works).toBe(5)
  })

  it('loads several thousand records through COPY in one go, and a dry run writes nothing', async () => {
    const many = Array.from({ length: 12_500 }, (_, index) => ({ id: `bulk-${index}`, type: 'book', title: `Bulk ${index}` }))
    const path = await file('many.json', JSON.stringify(many))
    const dry = jsonReport((await runCommand([path, '--into', into(), '--dry-run', '--json'])).stdout)
    expect(dry).toMatchObject({ written: false, totals: { added: 12_500 } })
    expect((await (await database.open()).state()).works).toBe(5)
    const result = await runCommand([path, '--into', into(), '--json'])
    expect(jsonReport(result.stdout).totals.added).toBe(12_500)
    const store = await database.open()
    expect((await store.state()).works).toBe(5 + 12_500)
    expect((await store.find('bulk-12499'))?.item.title).toBe('Bulk 12499')
  })

  it('names an unreachable database with status 2', async () => {
    const result = await runCommand(['-', '--into', 'postgresql://postgres@127.0.0.1:1/none'], BIBTEX)
    expect(result).toMatchObject({ status: 2, stderr: expect.stringContaining('cannot open the database') })
  })
})
