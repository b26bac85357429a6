import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../src/catalogue/schema.js'
import { recordProblems } from '../src/catalogue/validate-record.js'
import { crashOriginal, crashRuns } from './fixtures/crash-runs.js'

const RUNS = 3
const directory = mkdtempSync(join(tmpdir(), 'citeserve-crash-'))
afterAll(() => rmSync(directory, { recursive: true, force: true }))
const file = join(directory, 'works.json')

/** The works in the data file, by id, parsed with JSON.parse. */
async function inDataFile(): Promise<Map<string, CslItem>> {
  const items = JSON.parse(readFileSync(file, 'utf8')) as CslItem[]
  expect(Array.isArray(items)).toBe(true)
  const byId = new Map(items.map((item) => [String(item.id), item]))
  expect(byId.size, 'ids in the file are unique').toBe(items.length)
  // What the server would load at its next start.
  expect(items.flatMap((item, index) => recordProblems(index, item))).toEqual([])
  return byId
}

describe('writes and SIGKILL, with the file store', () => {
  it(`keep every acknowledged write, a valid data file and nothing else changed, over ${RUNS} kills at random moments`, async () => {
    writeFileSync(file, JSON.stringify(crashOriginal, null, 2))
    await crashRuns({ directory, storeEnv: { DATA_FILE: file }, stored: inDataFile }, RUNS)
  }, 120_000)
})
