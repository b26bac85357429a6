import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { richItem, seed } from '../fixtures/works.js'
import { createTestDatabase, type TestDatabase } from './fixtures/database.js'

// `npm run load-works`, as a newcomer moves a file catalogue into a new database.
let database: TestDatabase
let directory: string
beforeAll(async () => {
  database = await createTestDatabase({ migrate: false })
  directory = await mkdtemp(join(tmpdir(), 'citeserve-load-works-'))
})
afterAll(async () => {
  await database?.drop()
  if (directory) await rm(directory, { recursive: true, force: true })
})

function loadWorks(file: string, env: Record<string, string | undefined>) {
  return promisify(execFile)('npm', ['run', '--silent', 'load-works', '--', file], { env, encoding: 'utf8' }).catch(
    (error: { code: number; stdout: string; stderr: string }) => error,
  )
}

describe('npm run load-works', () => {
  it('migrates a new database and adds the file’s works, which the store then finds by id and by DOI', async () => {
    const file = join(directory, 'works.json')
    await writeFile(file, JSON.stringify([seed, richItem]))
    const result = await loadWorks(file, { ...process.env, DATABASE_URL: database.url })
    expect(result).toMatchObject({ stdout: expect.stringMatching(/added 2 works/) })
    const store = await database.open()
    expect((await store.find(String(seed.id)))?.item).toEqual(seed)
    expect((await store.find(`https://doi.org/${richItem.DOI}`))?.id).toBe(richItem.id)
  })

  it('refuses a file whose work is already there, naming it, and adds nothing', async () => {
    const file = join(directory, 'again.json')
    await writeFile(
      file,
      JSON.stringify([
        { ...seed, id: 'new-work' },
        { ...richItem, title: 'Changed' },
      ]),
    )
    const result = await loadWorks(file, { ...process.env, DATABASE_URL: database.url })
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining(String(richItem.id)) })
    const store = await database.open()
    expect(await store.find('new-work')).toBeUndefined()
    expect((await store.state()).works).toBe(2)
  })

  it('names the record and field of an invalid file, and DATABASE_URL when it is missing', async () => {
    const file = join(directory, 'invalid.json')
    await writeFile(file, JSON.stringify([{ id: 'no-type' }]))
    expect(await loadWorks(file, { ...process.env, DATABASE_URL: database.url })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/record 0 \(id "no-type"\).*type/),
    })
    const { DATABASE_URL: _unset, ...env } = process.env
    expect(await loadWorks(file, env)).toMatchObject({ code: 1, stderr: expect.stringMatching(/DATABASE_URL is not set/) })
  })
})
