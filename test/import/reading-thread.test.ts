import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { worksOf } from '../../src/catalogue/catalogue.js'
import { renderBibtex } from '../../src/formats/bibtex.js'
import { importFormat } from '../../src/formats/read/formats.js'
import { readRecords, type ReadOptions, type ReadResult } from '../../src/import/read-records.js'
import { ReadingThread, ReadingThreadError } from '../../src/import/reading-thread.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { jsonReport, runCommand } from './read.js'

const FAILING_WORKER = new URL('../fixtures/failing-read-worker.ts', import.meta.url)
const bibtex = importFormat('bibtex')

// Entries that exercise what a reader keeps between batches (@string macros) and what it reports:
// a field with no CSL variable, a date set aside, a crossref to an entry of another batch, an entry
// that breaks its batch and is rejected alone.
const AWKWARD = String.raw`
@article{berg2020,
  author = {van der Berg, Jan and M{\"u}ller, Anna},
  title = {Fish {\&} Chips: {NASA}'s $\alpha$ -- a study},
  journal = jat,
  year = 2020, month = may,
  indextitle = {Fish and chips},
  date = {15/05/84},
}
@incollection{part, title = {A part}, crossref = {whole}, pages = {1--2}}
@misc{broken, title = "never closed}
`

/** Synthetic BibTeX entries, their keys and DOIs unique to the seed. */
function entries(count: number, seed: number): string {
  const items = syntheticCatalogue(count, seed).map((item) => ({ ...item, id: `${String(item.id)}-${seed}` }))
  return renderBibtex(worksOf(items), 'bibtex')
}

/**
 * Text between entries, which BibTeX skips as a comment: it makes the input long enough to be read in a
 * thread without more entries than the five batches the tests want.
 */
const BETWEEN_ENTRIES = 'Text between entries is a comment to BibTeX.\n'.repeat(20_000)

let long: string | undefined
/** A BibTeX input of two thousand entries, long enough to be read in a thread, the awkward ones at its start, middle and end. */
function longBibtex(): string {
  long ??= [
    '@string{jat = {Journal of Awkward Text}}\n@comment{made for a test}\n',
    AWKWARD,
    entries(1000, 11),
    BETWEEN_ENTRIES,
    AWKWARD,
    entries(1000, 12),
    AWKWARD,
  ].join('\n')
  return long
}

const CHUNK = 1 << 16
async function* chunked(text: string): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += CHUNK) yield text.slice(start, start + CHUNK)
}

async function readAll(text: string, options: ReadOptions): Promise<ReadResult[]> {
  const results: ReadResult[] = []
  for await (const result of readRecords(chunked(text), bibtex, options)) results.push(result)
  return results
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('reading a long BibTeX input in a thread of its own', () => {
  it('reads every record as reading it on the spot does, macros of the first batch used in the last', async () => {
    const batches = vi.spyOn(ReadingThread.prototype, 'read')
    const closed = vi.spyOn(ReadingThread.prototype, 'close')
    const inThread = await readAll(longBibtex(), { thread: true })
    expect(batches.mock.calls.length).toBeGreaterThan(4)
    expect(closed).toHaveBeenCalledOnce()
    batches.mockClear()
    const here = await readAll(longBibtex(), {})
    expect(batches).not.toHaveBeenCalled()
    expect(inThread).toEqual(here)
    const last = inThread.slice(-3)
    expect(last[0]).toMatchObject({ item: { id: 'berg2020', 'container-title': 'Journal of Awkward Text' } })
    expect(last[0]?.notCarried.map(({ field }) => field).sort()).toEqual(['date', 'indextitle'])
    expect(last[1]?.notCarried).toEqual([{ field: 'crossref', reason: 'names entry whole, which is not among the entries read with it' }])
    expect(last[2]).toMatchObject({ rejected: expect.stringMatching(/^entry broken: not BibTeX: /) })
  }, 60_000)

  it('imports a long file through the thread with the report its entries call for', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'citeserve-reading-thread-')), 'long.bib')
    try {
      await writeFile(path, longBibtex())
      const batches = vi.spyOn(ReadingThread.prototype, 'read')
      const { status, stdout } = await runCommand([path, '--dry-run', '--json'])
      expect(batches).toHaveBeenCalled()
      expect(status).toBe(1)
      const { records, totals } = jsonReport(stdout)
      expect(totals).toEqual({ added: 2002, updated: 0, unchanged: 0, skipped: 4, rejected: 3 })
      expect(records.slice(-3).map(({ id, outcome, reason }) => ({ id, outcome, reason }))).toEqual([
        { id: 'berg2020', outcome: 'skipped', reason: 'repeats the id of record 1 of this import' },
        { id: 'part', outcome: 'skipped', reason: 'repeats the id of record 2 of this import' },
        { outcome: 'rejected', reason: expect.stringMatching(/^entry broken: not BibTeX: /) },
      ])
    } finally {
      await rm(dirname(path), { recursive: true, force: true })
    }
  }, 60_000)
})

describe('a reading thread that fails', () => {
  it('stops the import with an error that says so when the thread dies', async () => {
    const closed = vi.spyOn(ReadingThread.prototype, 'close')
    const failure = readAll(`@misc{citeserve-crash, title = {A}}\n${longBibtex()}`, { thread: true, threadEntry: FAILING_WORKER })
    await expect(failure).rejects.toThrow(new ReadingThreadError('the thread reading the records stopped (exit code 70)'))
    expect(closed).toHaveBeenCalledOnce()
  }, 60_000)

  it('stops the import with its reader’s error when the reader throws', async () => {
    const failure = readAll(`@misc{citeserve-throw, title = {A}}\n${longBibtex()}`, { thread: true, threadEntry: FAILING_WORKER })
    await expect(failure).rejects.toThrow(ReadingThreadError)
    await expect(failure).rejects.toThrow(/exit code 1: the reader failed on purpose/)
  }, 60_000)

  it('is closed when its records are no longer wanted', async () => {
    const closed = vi.spyOn(ReadingThread.prototype, 'close')
    for await (const result of readRecords(chunked(longBibtex()), bibtex, { thread: true })) if (result.index === 10) break
    expect(closed).toHaveBeenCalledOnce()
  }, 60_000)
})
