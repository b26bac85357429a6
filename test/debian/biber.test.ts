import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { richItem, seed } from '../fixtures/works.js'
import { render, run } from './tools.js'

// biber, the BibLaTeX backend, checks entries against the BibLaTeX data model.
describe('biber validates citeserve’s BibLaTeX', () => {
  it('against the data model, with no warning but the fields the seed page does not give', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'citeserve-biber-'))
    const file = join(directory, 'works.bib')
    await writeFile(file, render('biblatex', seed, richItem))
    const log = run('biber', ['--tool', '--validate-datamodel', `--output-file=${join(directory, 'out.bib')}`, file], '')
    const warnings = log.split('\n').filter((line) => line.startsWith('WARN'))
    expect(warnings).toEqual([
      `WARN - Datamodel: Entry 'interleukin-2-in-cancer-2005' (${file}): Missing mandatory field 'author'`,
      `WARN - Datamodel: Entry 'interleukin-2-in-cancer-2005' (${file}): Missing mandatory field 'journaltitle'`,
    ])
    expect(log).not.toMatch(/^ERROR/m)
  })
})
