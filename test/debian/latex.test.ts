import { parse as parseBibtex } from '@retorquere/bibtex-parser'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CSL_ITEM_TYPES, type CslItem, type CslName } from '../../src/catalogue/schema.js'
import { plainText } from '../../src/formats/rich-text.js'
import { installed, render } from './tools.js'

// The real consumers of citeserve's .bib files: pdflatex with BibTeX and the classic .bst styles, and
// biblatex with biber. One record of every CSL type, hostile text included, is typeset; pdftotext
// reads the PDF back, where every record's title, creators, container, volume, pages and year must
// appear, and no tool may print an error or a warning. A missing tool fails the suite.

const TOOLS = ['pdflatex', 'bibtex', 'biber', 'pdftotext']
const BST_STYLES = ['plain', 'unsrt', 'abbrv', 'apalike', 'plainnat']
const BIBLATEX_STYLES = ['authoryear', 'numeric']

const authors: CslName[] = [
  { family: 'Berg', given: 'Jan', 'non-dropping-particle': 'van der' },
  { family: 'Lee', given: 'Min-jun' },
  { literal: 'WHO Consortium' },
]
const editors: CslName[] = [
  { family: 'García Márquez', given: 'Ana' },
  { family: 'Ng', given: 'Kwok' },
]

/** A record of the type with TeX specials, rich text and accents in its title and container. */
function recordOf(type: CslItem['type'], index: number): CslItem {
  const withEditors = type === 'chapter' || type === 'paper-conference'
  return {
    id: `every-${type}`,
    type,
    title: `Fish & chips: 100% of $5, #1 under_score {braces} and a \\backslash, a <i>review</i> in Ærø café on ${type}`,
    ...(type === 'book' ? { editor: editors } : { author: authors, ...(withEditors ? { editor: editors } : {}) }),
    ...(type === 'book' ? {} : { 'container-title': `Journal & Proceedings of Łódź for ${type}` }),
    volume: '12',
    page: '100-110',
    publisher: 'Example Press & Sons',
    'publisher-place': 'Geneva',
    number: 'R-7',
    // Classic styles require a note for @unpublished, which a manuscript becomes.
    ...(type === 'manuscript' ? { note: 'Unpublished manuscript' } : {}),
    // A year of its own: author-year styles letter same-author, same-year works a, b, … up to z only.
    issued: { 'date-parts': [[1960 + index, 5]] },
    language: 'en',
  }
}

const records = CSL_ITEM_TYPES.map((type, index) => recordOf(type, index))

// What each entry type prints, beyond title, names and year, in the classic styles and in biblatex's
// standard ones: a field the entry carries but the style does not print is not looked for.
const BST_PRINTS: Readonly<Record<string, readonly string[]>> = {
  article: ['journal', 'volume', 'pages'],
  book: ['editor', 'volume'],
  // Readers expect a chapter's book, which classic styles drop from @inbook.
  inbook: ['booktitle', 'editor', 'volume', 'pages'],
  incollection: ['booktitle', 'editor', 'volume', 'pages'],
  inproceedings: ['booktitle', 'editor', 'volume', 'pages'],
}
const BIBLATEX_PRINTS: Readonly<Record<string, readonly string[]>> = {
  article: ['journaltitle', 'volume', 'pages'],
  collection: ['editor', 'volume'],
  book: ['editor', 'volume'],
  incollection: ['booktitle', 'editor', 'volume', 'pages'],
  inbook: ['booktitle', 'editor', 'volume', 'pages'],
  inproceedings: ['booktitle', 'editor', 'volume', 'pages'],
  inreference: ['booktitle', 'editor', 'volume', 'pages'],
}

const PREAMBLE = String.raw`\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{textcomp}
\usepackage[english]{babel}
\usepackage{url}
\hyphenpenalty=10000
\exhyphenpenalty=10000
\sloppy`

/** pdflatex until it no longer asks to be rerun (biblatex's labels settle on the second or third run). */
function typeset(directory: string): string {
  let log = ''
  for (let run = 0; run < 4 && (run === 0 || /rerun/i.test(log)); run++) {
    runTool(directory, 'pdflatex', ['-interaction=nonstopmode', 'document.tex'])
    log = readFileSync(join(directory, 'document.log'), 'utf8')
  }
  return log
}

function runTool(directory: string, command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { cwd: directory, encoding: 'utf8' })
  const output = `${result.stdout}${result.stderr}`
  expect(result.status, `${command} ${args.join(' ')}\n${output}`).toBe(0)
  return output
}

/** Warnings and errors of a LaTeX log: LaTeX's, packages', missing characters and "!" errors. */
function latexProblems(log: string): string[] {
  return log.split('\n').filter((line) => /Warning|^! |Missing character/.test(line))
}

const folded = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').toLowerCase()

/**
 * What must be printed of each record: its title as text, its creators' family names, the year, and
 * of the container, volume and pages what its entry type prints (read from the .bib by an
 * independent parser).
 */
function expectedTexts(bib: string, prints: Readonly<Record<string, readonly string[]>>): Map<string, string[]> {
  const { entries, errors } = parseBibtex(bib)
  expect(errors).toEqual([])
  expect(entries).toHaveLength(records.length)
  return new Map(
    entries.map((entry, index) => {
      const record = records[index] as CslItem
      const printed = prints[entry.type] ?? []
      // The family name alone: biblatex writes "Berg, Jan van der", BibTeX styles "Jan van der Berg".
      const family = (name: CslName) => name.family ?? name.literal ?? ''
      const texts = [
        plainText(record.title as string),
        ...(record.author ?? []).map(family),
        ...(printed.includes('editor') || !record.author ? (record.editor ?? []).map(family) : []),
        String(record.issued?.['date-parts']?.[0]?.[0]),
        ...(printed.some((field) => field.endsWith('title')) && record['container-title'] ? [record['container-title']] : []),
        ...(printed.includes('volume') ? ['12'] : []),
        ...(printed.includes('pages') ? ['100', '110'] : []),
      ]
      return [entry.key, texts.map((text) => folded(text))]
    }),
  )
}

function missingFromPdf(directory: string, expected: Map<string, string[]>): string[] {
  runTool(directory, 'pdftotext', ['-enc', 'UTF-8', 'document.pdf', 'document.txt'])
  const text = folded(readFileSync(join(directory, 'document.txt'), 'utf8'))
  return [...expected].flatMap(([key, texts]) => texts.filter((wanted) => !text.includes(wanted)).map((wanted) => `${key}: ${wanted}`))
}

describe('LaTeX typesets citeserve’s BibTeX and BibLaTeX', () => {
  it('has its tools: pdflatex, bibtex, biber and pdftotext', () => {
    expect(TOOLS.filter((tool) => !installed(tool))).toEqual([])
  })

  it.each(BST_STYLES)('with BibTeX and %s.bst: every record of every type in full, without a warning', (style) => {
    const directory = mkdtempSync(join(tmpdir(), `citeserve-bibtex-${style}-`))
    const bib = render('bibtex', ...records)
    writeFileSync(join(directory, 'works.bib'), bib)
    const natbib = style === 'plainnat' || style === 'apalike' ? String.raw`\usepackage{natbib}` : ''
    writeFileSync(
      join(directory, 'document.tex'),
      `${PREAMBLE}\n${natbib}\n\\begin{document}\n\\nocite{*}\n\\bibliographystyle{${style}}\n\\bibliography{works}\n\\end{document}\n`,
    )
    runTool(directory, 'pdflatex', ['-interaction=nonstopmode', 'document.tex'])
    const bibtexOutput = runTool(directory, 'bibtex', ['document'])
    expect(bibtexOutput.split('\n').filter((line) => /warning|error/i.test(line))).toEqual([])
    expect(latexProblems(typeset(directory))).toEqual([])
    expect(missingFromPdf(directory, expectedTexts(bib, BST_PRINTS))).toEqual([])
  })

  it.each(BIBLATEX_STYLES)('with biblatex, biber and the %s style: every record of every type in full, without a warning', (style) => {
    const directory = mkdtempSync(join(tmpdir(), `citeserve-biblatex-${style}-`))
    const bib = render('biblatex', ...records)
    writeFileSync(join(directory, 'works.bib'), bib)
    writeFileSync(
      join(directory, 'document.tex'),
      // pagetracker off: with a bibliography of several pages, authoryear's page tracking can keep asking
      // for another run ("Page breaks have changed") whatever the entries.
      `${PREAMBLE}\n\\usepackage{csquotes}\n\\usepackage[backend=biber,style=${style},pagetracker=false]{biblatex}\n\\addbibresource{works.bib}\n` +
        '\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n',
    )
    runTool(directory, 'pdflatex', ['-interaction=nonstopmode', 'document.tex'])
    const biberOutput = runTool(directory, 'biber', ['document'])
    expect(biberOutput.split('\n').filter((line) => /^(WARN|ERROR)/.test(line))).toEqual([])
    expect(latexProblems(typeset(directory))).toEqual([])
    expect(missingFromPdf(directory, expectedTexts(bib, BIBLATEX_PRINTS))).toEqual([])
  })
})
