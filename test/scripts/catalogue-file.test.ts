import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readCatalogueFile, writeCatalogueFile } from '../../scripts/catalogue-file.js'
import { syntheticCatalogue, syntheticWorks } from '../../scripts/synthetic-catalogue.js'

const directory = await mkdtemp(join(tmpdir(), 'citeserve-catalogue-file-'))
afterAll(() => rm(directory, { recursive: true, force: true }))

async function readAll(file: string): Promise<unknown[]> {
  const records: unknown[] = []
  for await (const record of readCatalogueFile(file)) records.push(record)
  return records
}

describe('writeCatalogueFile and readCatalogueFile', () => {
  it('writes the records, streamed one at a time, as the JSON array a catalogue file is', async () => {
    const file = join(directory, 'works.json')
    expect(await writeCatalogueFile(file, syntheticWorks(300))).toBe(300)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(syntheticCatalogue(300))
    expect(await readAll(file)).toEqual(syntheticCatalogue(300))
  })

  it('writes an empty catalogue as an empty array', async () => {
    const file = join(directory, 'empty.json')
    expect(await writeCatalogueFile(file, [])).toBe(0)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([])
    expect(await readAll(file)).toEqual([])
  })
})
