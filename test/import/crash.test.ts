import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { worksOf } from '../../src/catalogue/catalogue.js'
import { loadWorks } from './read.js'
import { COMPILED_SOURCES } from '../fixtures/compiled-sources.js'
import { renderRis } from '../../src/formats/ris.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'

let directory: string | undefined
afterEach(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true })
})

describe('an import killed on the way', () => {
  it('leaves the data file as it was', async () => {
    directory = await mkdtemp(join(tmpdir(), 'citeserve-import-crash-'))
    const into = join(directory, 'works.json')
    const before = `${JSON.stringify(syntheticCatalogue(3, 7), null, 2)}\n`
    await writeFile(into, before)
    const input = join(directory, 'many.ris')
    await writeFile(input, renderRis(worksOf(syntheticCatalogue(4000, 8))))
    const child = spawn(process.execPath, [join(COMPILED_SOURCES, 'cli.js'), 'import', input, '--into', into], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    // The report comes out while records are read; the data file is written only after the last one.
    await once(child.stdout, 'data')
    child.kill('SIGKILL')
    await once(child, 'exit')
    expect(await readFile(into, 'utf8')).toBe(before)
    expect((await loadWorks(into)).size).toBe(3)
  }, 60_000)
})
