import { mkdtemp, writeFile, mkdir, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FileStore } from '../../src/catalogue/file-store.js'
import { CatalogueError, readDataFile } from '../../src/catalogue/load.js'
import { CSL_ITEM_TYPES } from '../../src/catalogue/schema.js'
import { BUNDLED_DATA_FILE } from '../../src/config.js'
import { richItem, seed } from '../fixtures/works.js'

let directory: string

async function fileWith(name: string, content: string): Promise<string> {
  const path = join(directory, name)
  await writeFile(path, content)
  return path
}

async function failureOf(path: string, open: (file: string) => Promise<unknown> = readDataFile): Promise<CatalogueError> {
  const error = await open(path).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(CatalogueError)
  return error as CatalogueError
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'citeserve-load-'))
})

describe('readDataFile', () => {
  it('loads the bundled data file', async () => {
    const { items } = await readDataFile(BUNDLED_DATA_FILE)
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ id: seed.id, title: 'Interleukin-2 in cancer' })
  })

  it('dates the records by the data file’s modification time', async () => {
    const path = await fileWith('dated.json', JSON.stringify([seed]))
    const modified = new Date('2024-03-01T12:34:56Z')
    await utimes(path, modified, modified)
    expect((await readDataFile(path)).modified).toEqual(modified)
  })

  it('names the file when it is missing', async () => {
    const path = join(directory, 'nowhere.json')
    const error = await failureOf(path)
    expect(error.message).toBe(`data file ${path}: no such file`)
  })

  it('names the file when it is a directory', async () => {
    const path = join(directory, 'a-directory')
    await mkdir(path)
    expect((await failureOf(path)).message).toContain('is a directory')
  })

  it('names the file and the position when it is not JSON', async () => {
    const path = await fileWith('broken.json', '[{"id": "a", "type": "book"},')
    const error = await failureOf(path)
    expect(error.message).toMatch(new RegExp(`^data file ${path}: is not valid JSON: .+`))
  })

  it('refuses a top level that is not an array', async () => {
    const error = await failureOf(await fileWith('object.json', '{"id": "a"}'))
    expect(error.message).toContain('the top level must be a JSON array of CSL-JSON items, found object')
  })

  it('names the record by index and id, and the field, for a schema violation', async () => {
    const records = [seed, { ...richItem, author: [{ family: 42 }] }, { id: 'third', type: 'book', journal: 'not CSL' }]
    const path = await fileWith('invalid.json', JSON.stringify(records))
    const error = await failureOf(path)
    expect(error.message).toContain(`data file ${path}: 2 problems with records`)
    expect(error.message).toContain(
      'record 1 (id "berg-2020-fish"): field "author[0].family": Invalid input: expected string, received number',
    )
    expect(error.message).toContain('record 2 (id "third"): field "journal": is not a CSL-JSON variable')
  })

  it('refuses a record with a variable CSL-JSON does not have, naming it', async () => {
    const records = [seed, { id: 'extra', type: 'book', title: 'T', publisher_place: 'Oslo' }]
    const error = await failureOf(await fileWith('extra-variable.json', JSON.stringify(records)))
    expect(error.message).toContain('1 problem with records')
    expect(error.message).toContain('record 1 (id "extra"): field "publisher_place": is not a CSL-JSON variable')
  })

  it('lists every field in error, in names and dates too, each once', async () => {
    const wrong = {
      id: 'many',
      type: 'book',
      journal: 'not CSL',
      author: [{ family: 'Berg', name: 'Ada' }, 'Smith'],
      editor: [{ given: 7 }],
      issued: { 'date-parts': [[2001, 2, 3, 4]] },
      accessed: '2020-01-01',
      'original-date': { 'date-parts': [['2001', null]] },
      volume: true,
      title: 5,
    }
    const error = await failureOf(await fileWith('many-fields.json', JSON.stringify([seed, wrong, { id: '', type: 'novel' }])))
    const lines = error.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
    expect(lines.sort()).toEqual(
      [
        'record 1 (id "many"): field "journal": is not a CSL-JSON variable',
        'record 1 (id "many"): field "author[0].name": is not a CSL-JSON variable',
        'record 1 (id "many"): field "author[1]": Invalid input: expected object, received string',
        'record 1 (id "many"): field "editor[0].given": Invalid input: expected string, received number',
        'record 1 (id "many"): field "issued.date-parts[0]": Too big: expected array to have <=3 items',
        'record 1 (id "many"): field "accessed": Invalid input: expected object, received string',
        'record 1 (id "many"): field "original-date.date-parts[0][1]": Invalid input: expected string or number, received null',
        'record 1 (id "many"): field "volume": Invalid input: expected string or number, received boolean',
        'record 1 (id "many"): field "title": Invalid input: expected string, received number',
        `record 2 (id ""): field "type": Invalid option: expected one of ${CSL_ITEM_TYPES.map((type) => `"${type}"`).join('|')}`,
        'record 2 (id ""): field "id": must not be empty',
      ].sort(),
    )
    expect(error.message).toContain('11 problems with records')
  })

  it('names the record by index alone when it has no usable id', async () => {
    const error = await failureOf(await fileWith('no-id.json', JSON.stringify([{ type: 'book' }])))
    expect(error.message).toContain('record 0: field "id":')
  })

  it('refuses repeated ids, DOIs and citation keys, comparing DOIs case-insensitively', async () => {
    const records = [
      { ...richItem, 'citation-key': 'berg2020' },
      { ...seed, id: richItem.id },
      { id: 'other', type: 'book', DOI: 'https://doi.org/10.1234/abc.DEF' },
      { id: 'another', type: 'book', 'citation-key': 'berg2020' },
    ]
    // Found as the records are indexed, when the store opens the file.
    const error = await failureOf(await fileWith('clash.json', JSON.stringify(records)), (file) => FileStore.open({ file }))
    expect(error.message).toContain('record 1 (id "berg-2020-fish"): field "id": repeats the id of record 0')
    expect(error.message).toContain('record 2 (id "other"): field "DOI": repeats the DOI of record 0')
    expect(error.message).toContain('record 3 (id "another"): field "citation-key": repeats the citation key of record 0')
  })

  it('lists at most twenty problems and counts the rest', async () => {
    const records = Array.from({ length: 25 }, (_, index) => ({ id: `r${index}`, type: 'nonsense' }))
    const error = await failureOf(await fileWith('many.json', JSON.stringify(records)))
    expect(error.message).toContain('record 19 (id "r19")')
    expect(error.message).not.toContain('record 20 (id "r20")')
    expect(error.message).toContain('… and 5 more problems')
  })
})
