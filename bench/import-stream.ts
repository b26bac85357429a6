// `BENCH_PARTS=import npm run bench`: `citeserve import` of a large RIS file and a large BibTeX file
// (BENCH_IMPORT_RECORDS records, 1,000,000 by default) into a new data file, as a separate process.
// Reports records per second of wall time and of CPU time (the machine is shared, so the second is
// the steadier figure) and the importer's peak resident memory (GNU time's maximum RSS).
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { worksOf } from '../src/catalogue/catalogue.js'
import type { CslItem } from '../src/catalogue/schema.js'
import { renderBibtex } from '../src/formats/bibtex.js'
import { renderRis } from '../src/formats/ris.js'
import { syntheticCatalogue } from '../scripts/synthetic-catalogue.js'
import { ROOT, table } from './lib.js'

export interface ImportBenchSettings {
  readonly records: number
  /** The formats to import, in this order. */
  readonly formats: readonly ImportBenchFormat[]
  readonly progress: (text: string) => void
}

/** Records rendered at a time while the input file is written. */
const SLICE = 10_000

const RENDERERS = {
  ris: (items: readonly CslItem[]) => renderRis(worksOf(items)),
  bibtex: (items: readonly CslItem[]) => renderBibtex(worksOf(items), 'bibtex'),
}

export type ImportBenchFormat = keyof typeof RENDERERS

/** The formats a comma-separated list names (BENCH_IMPORT_FORMATS), refusing any other. */
export function importBenchFormats(list: string): ImportBenchFormat[] {
  return list.split(',').map((name) => {
    if (!(name in RENDERERS)) throw new Error(`BENCH_IMPORT_FORMATS: "${name}" is not one of ${Object.keys(RENDERERS).join(', ')}`)
    return name as ImportBenchFormat
  })
}

/** A file of `records` synthetic records in the format, written a slice at a time; ids and DOIs are unique. */
async function writeInput(file: string, format: ImportBenchFormat, records: number): Promise<void> {
  const output = createWriteStream(file)
  for (let slice = 0; slice * SLICE < records; slice++) {
    const items = syntheticCatalogue(Math.min(SLICE, records - slice * SLICE), slice + 1).map((item) => ({
      ...item,
      id: `${String(item.id)}-${slice}`,
    }))
    if (!output.write(RENDERERS[format](items))) await once(output, 'drain')
  }
  output.end()
  await once(output, 'close')
}

/** Runs the compiled command under GNU time: wall and CPU seconds and peak RSS in MB. */
function timedImport(input: string, into: string): { seconds: number; cpuSeconds: number; peakMb: number } {
  const timing = join(tmpdir(), `citeserve-import-time-${process.pid}`)
  execFileSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timing, process.execPath, 'dist/cli.js', 'import', input, '--into', into], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const [seconds = '0', user = '0', system = '0', kilobytes = '0'] = execFileSync('cat', [timing], { encoding: 'utf8' }).trim().split(' ')
  return { seconds: Number(seconds), cpuSeconds: Number(user) + Number(system), peakMb: Number(kilobytes) / 1024 }
}

export async function importStreams({ records, formats, progress }: ImportBenchSettings): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-import-'))
  const rows: string[][] = []
  try {
    for (const format of formats) {
      const input = join(directory, `input.${format}`)
      progress(`import: writing ${records} ${format} records`)
      await writeInput(input, format, records)
      const into = join(directory, `works-${format}.json`)
      progress(`import: importing ${format}`)
      const { seconds, cpuSeconds, peakMb } = timedImport(input, into)
      const megabytes = (await stat(input)).size / 1e6
      const rate = (time: number) => Math.round(records / time).toLocaleString('en')
      const row = [
        format,
        records.toLocaleString('en'),
        megabytes.toFixed(0),
        seconds.toFixed(0),
        rate(seconds),
        cpuSeconds.toFixed(0),
        rate(cpuSeconds),
        peakMb.toFixed(0),
      ]
      progress(`import: ${row.join(' | ')}`)
      rows.push(row)
      await rm(input)
      await rm(into)
    }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
  return table(['format', 'records', 'input, MB', 'wall, s', 'records/s', 'CPU, s', 'records/CPU s', 'peak RSS, MB'], rows)
}
