import { parse as parseBibtex, type Creator } from '@retorquere/bibtex-parser'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonReport, runCommand, loadWorks } from '../import/read.js'
import type { RecordReport } from '../../src/import/run-import.js'
import { BIBLATEX_EXAMPLES } from './tools.js'

// Bibliographies no one here wrote, from TeX Live (Debian's texlive-bibtex-extra and texlive-base):
// biblatex's own examples of every entry type, and every other .bib file TeX Live installs.
const TEXLIVE_BIB_FILES = execFileSync('find', ['/usr/share/texlive/texmf-dist/bibtex/bib', '-name', '*.bib'], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .filter((file) => file !== BIBLATEX_EXAMPLES)

// Fields whose values are codes the mapping translates (a babel language into a language tag, a
// month name into a number, an entry subtype into a genre), so their words are not in the record.
const CODED = new Set([
  'langid',
  'hyphenation',
  'month',
  'pagination',
  'bookpagination',
  'editortype',
  'type',
  'entrysubtype',
  'eprinttype',
  'date',
  'urldate',
  'origdate',
  'eventdate',
  'language',
  'origlanguage',
])

/** The longer words of a field's value as an independent parser (bibtex-parser) decodes it. */
function words(value: string | string[] | Creator[]): string[] {
  // bibtex-parser writes TeX's font commands as HTML (\texttt as <code>), which is not text.
  const texts = [value]
    .flat()
    .map((part) => (typeof part === 'string' ? part.replace(/<[^>]+>/g, ' ') : [part.lastName, part.name].filter(Boolean).join(' ')))
  return texts.flatMap((text) => text.normalize('NFC').match(/\p{L}{4,}/gu) ?? []).map((word) => word.toLowerCase())
}

describe('biblatex-examples.bib, from TeX Live', () => {
  let directory: string
  let report: ReturnType<typeof jsonReport>
  let catalogue: Awaited<ReturnType<typeof loadWorks>>
  // bibtex-parser leaves biblatex's \hyphen as the word "hyphen" glued to the next one.
  const independent = parseBibtex(readFileSync(BIBLATEX_EXAMPLES, 'utf8'), {
    sentenceCase: false,
    unsupported: (_node, tex) => (tex.startsWith('\\hyphen') ? '-' : tex),
  })

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'citeserve-import-debian-'))
    const into = join(directory, 'works.json')
    const result = await runCommand([BIBLATEX_EXAMPLES, '--into', into, '--json'])
    expect(result.status, result.stderr).toBe(0)
    report = jsonReport(result.stdout)
    catalogue = await loadWorks(into)
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('adds every entry, under its key', () => {
    expect(independent.entries.length).toBeGreaterThan(80)
    expect(report.totals).toEqual({ added: independent.entries.length, updated: 0, unchanged: 0, skipped: 0, rejected: 0 })
    expect(catalogue.works.map((work) => work.id).sort()).toEqual(independent.entries.map((entry) => entry.key).sort())
  })

  it('maps every field to the record or reports it and keeps it under custom.bibtex', () => {
    const reports = new Map<string, RecordReport>(report.records.map((record) => [String(record.id), record]))
    const lost: string[] = []
    for (const entry of independent.entries) {
      const item = catalogue.find(entry.key)?.item
      const reported = new Set(reports.get(entry.key)?.notCarried.map(({ field }) => field))
      const kept = (item?.custom?.bibtex ?? {}) as Record<string, unknown>
      const text = JSON.stringify(item).normalize('NFC').toLowerCase()
      for (const [field, value] of Object.entries(entry.fields)) {
        if (reported.has(field)) {
          if (kept[field] === undefined) lost.push(`${entry.key}.${field}: reported but not kept`)
        } else if (!CODED.has(field) && value !== undefined) {
          const missing = words(value).filter((word) => !text.includes(word))
          if (missing.length > 0) lost.push(`${entry.key}.${field}: ${missing.join(' ')}`)
        }
      }
    }
    expect(lost).toEqual([])
  })
})

/**
 * Files TeX Live installs that BibTeX itself cannot read whole, with the records an import must
 * reject: the directory package's sample is in a format of its own, and an entry of frankenstein's
 * sample has a quoted value that never ends (a `{"` closed by `}` alone).
 */
const MALFORMED: Readonly<Record<string, number>> = {
  '/usr/share/texlive/texmf-dist/bibtex/bib/directory/family.bib': 4,
  '/usr/share/texlive/texmf-dist/bibtex/bib/frankenstein/frankenstein.bib': 1,
}

describe('every other .bib file TeX Live installs', () => {
  it.each(TEXLIVE_BIB_FILES)(
    '%s imports with nothing rejected but what BibTeX cannot read either',
    async (file) => {
      const result = await runCommand([file, '--dry-run', '--json'])
      expect(result.stderr).toBe('')
      const { totals, records } = jsonReport(result.stdout)
      const rejected = records.filter(({ outcome }) => outcome === 'rejected')
      expect(rejected.length).toBe(MALFORMED[file] ?? 0)
      for (const record of rejected) expect(record.reason).toMatch(/^entry \S+: not BibTeX: /)
      expect((totals.added ?? 0) + (totals.skipped ?? 0) + rejected.length).toBe(records.length)
    },
    120_000,
  )
})
