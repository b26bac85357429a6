import { worksOf } from '../../src/catalogue/catalogue.js'
import { normalizeDoi } from '../../src/catalogue/doi.js'
import { readDataFile } from '../../src/catalogue/load.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { importFormat } from '../../src/formats/read/formats.js'
import { importCommand } from '../../src/import/command.js'
import { openDatabaseTarget } from '../../src/import-database.js'
import { readRecords, type ReadResult } from '../../src/import/read-records.js'
import type { RecordReport } from '../../src/import/run-import.js'

/** Text as a stream of chunks of `size` characters, as a file stream hands it over. */
async function* chunked(text: string, size = 7): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size)
}

/** Every record read from the text, in the named format or the detected one. */
export async function readAll(text: string, from?: string, size?: number): Promise<ReadResult[]> {
  const results: ReadResult[] = []
  for await (const result of readRecords(chunked(text, size), from === undefined ? undefined : importFormat(from))) results.push(result)
  return results
}

/** The items read, failing with the reason when a record was rejected. */
export async function readItems(text: string, from?: string): Promise<CslItem[]> {
  return (await readAll(text, from)).map((result) => {
    if ('rejected' in result) throw new Error(`record ${result.index + 1} rejected: ${result.rejected}`)
    return result.item
  })
}

/** `citeserve import` with the arguments, standard input `stdin`: its exit status and what it wrote. */
export async function runCommand(args: readonly string[], stdin = ''): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const input = Object.assign(chunked(stdin, 1000), { setEncoding: () => undefined })
  const status = await importCommand(
    args,
    {
      stdin: input,
      stdout: { write: (text: string) => void (stdout += text) },
      stderr: { write: (text: string) => void (stderr += text) },
    },
    (url) => openDatabaseTarget(url, process.env),
  )
  return { status, stdout, stderr }
}

/** The per-record reports and the totals of a `--json` run. */
export function jsonReport(stdout: string): { records: RecordReport[]; totals: Record<string, number>; written: boolean } {
  const lines = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  const last = lines.pop() as { totals: Record<string, number>; written: boolean }
  return { records: lines as unknown as RecordReport[], totals: last.totals, written: last.written }
}

/** The works of a data file, read and validated as the service reads it, with lookup by id or DOI. */
export async function loadWorks(file: string) {
  const works = worksOf((await readDataFile(file)).items)
  const find = (idOrDoi: string) =>
    works.find((work) => work.id === idOrDoi) ??
    works.find((work) => work.item.DOI !== undefined && normalizeDoi(work.item.DOI) === normalizeDoi(idOrDoi))
  return { size: works.length, works, find }
}
