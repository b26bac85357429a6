import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { InvalidRecordsError, RecordConflictError, StoreUnavailableError } from '../catalogue/store.js'
import { IMPORT_FORMAT_NAMES, importFormat } from '../formats/read/formats.js'
import type { ImportFormat } from '../formats/read/reader.js'
import { FileTarget } from './file-target.js'
import type { ConflictPolicy } from './plan.js'
import { Progress } from './progress.js'
import { UnknownFormatError } from './read-records.js'
import { NotCarriedTally, recordLines, totalsLine } from './report-text.js'
import { runImport, type ImportSource } from './run-import.js'
import { KnownWorks, type ImportTarget } from './target.js'

export const IMPORT_USAGE = `usage: citeserve import FILE… --into DATA_FILE|DATABASE_URL [options]

Imports BibTeX, BibLaTeX, RIS, EndNote tagged, CSL-JSON, Crossref and DataCite JSON records into a
CSL-JSON data file or the PostgreSQL store. FILE "-" reads standard input. Prints what became of each
record, then totals.

  --into FILE           the data file to add to (created when missing; replaced atomically)
  --into postgres://…   the PostgreSQL store (migrated first; loaded in one transaction)
  --from FORMAT         read FILEs as FORMAT instead of detecting it: ${IMPORT_FORMAT_NAMES.join(', ')}
  --on-conflict POLICY  a record that matches a work (DOI, then id) and differs from it:
                        fail (default: reject it), replace (update the work) or skip
  --allow-rejects       write the other records when some are rejected (exit 0)
  --dry-run             report only, write nothing (--into optional)
  --json                report as JSON lines, one object per record, then the totals
  -h, --help            this text
Exit status: 0 done, 1 records rejected (nothing written), 2 usage or input error.
`

const POLICIES: readonly ConflictPolicy[] = ['fail', 'replace', 'skip']

/** Thrown for a command line or input that cannot be imported at all; exit status 2. */
class UsageError extends Error {}

/** An import target opened for the command, named for its report (a database without its password). */
export interface OpenedTarget {
  readonly target: ImportTarget
  readonly name: string
  close(): Promise<void>
}

/** Opens the PostgreSQL store at a URL as an import target. */
export type OpenDatabaseTarget = (url: string) => Promise<OpenedTarget>

interface Output {
  write(text: string): void
  readonly isTTY?: boolean
}

interface Streams {
  readonly stdin: AsyncIterable<string | Buffer> & { setEncoding(encoding: BufferEncoding): unknown }
  readonly stdout: Output
  readonly stderr: Output
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        into: { type: 'string' },
        from: { type: 'string' },
        'on-conflict': { type: 'string', default: 'fail' },
        'allow-rejects': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** A target for a dry run without --into: there is nothing to match against and nothing is written. */
const dryRunTarget: ImportTarget = {
  existing: async () => new KnownWorks(),
  add: async () => {},
  replace: async () => {},
  commit: async () => {},
  abort: async () => {},
}

async function openTarget(into: string | undefined, openDatabase: OpenDatabaseTarget): Promise<OpenedTarget> {
  if (into === undefined) return { target: dryRunTarget, name: '', close: async () => {} }
  if (!/^postgres(?:ql)?:\/\//i.test(into)) return { target: new FileTarget(into), name: into, close: async () => {} }
  try {
    return await openDatabase(into)
  } catch (error) {
    throw new UsageError(`--into: cannot open the database: ${(error as Error).message}`)
  }
}

async function sourceOf(name: string, format: ImportFormat | undefined, streams: Streams, progress: Progress): Promise<ImportSource> {
  if (name === '-') {
    streams.stdin.setEncoding('utf8')
    return { name, format, chunks: progress.counting(streams.stdin as AsyncIterable<string>, undefined) }
  }
  let size: number
  try {
    const found = await stat(name)
    if (!found.isFile()) throw new UsageError(`${name}: not a file`)
    size = found.size
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  const stream = createReadStream(name, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>
  return { name, format, chunks: progress.counting(stream, size) }
}

async function run(argv: readonly string[], streams: Streams, openDatabase: OpenDatabaseTarget): Promise<number> {
  const { values, positionals } = parse(argv)
  if (values.help) {
    streams.stdout.write(IMPORT_USAGE)
    return 0
  }
  if (positionals.length === 0) throw new UsageError('name at least one FILE to import, or - for standard input')
  const policy = POLICIES.find((name) => name === values['on-conflict'])
  if (policy === undefined) throw new UsageError(`--on-conflict: expected ${POLICIES.join(', ')}, got "${values['on-conflict']}"`)
  const format = values.from === undefined ? undefined : importFormat(values.from)
  if (values.from !== undefined && format === undefined)
    throw new UsageError(`--from: expected one of ${IMPORT_FORMAT_NAMES.join(', ')}, got "${values.from}"`)
  if (values.into === undefined && !values['dry-run']) throw new UsageError('--into: name the data file to import into (or use --dry-run)')
  const into = values.into
  const progress = new Progress(streams.stderr)
  const sources = await Promise.all(positionals.map((name) => sourceOf(name, format, streams, progress)))
  const opened = await openTarget(into, openDatabase)
  const tally = new NotCarriedTally()
  let buffered = ''
  const flush = () => {
    streams.stdout.write(buffered)
    buffered = ''
  }
  try {
    const summary = await runImport(
      sources,
      opened.target,
      { onConflict: policy, allowRejects: values['allow-rejects'], dryRun: values['dry-run'], thread: true },
      (report) => {
        tally.count(report)
        progress.record()
        buffered += values.json ? `${JSON.stringify(report)}\n` : recordLines(report)
        if (buffered.length > 1 << 16) flush()
      },
    )
    progress.done()
    flush()
    streams.stdout.write(
      values.json
        ? `${JSON.stringify({ totals: summary.totals, written: summary.written })}\n`
        : totalsLine(summary, into === undefined ? undefined : opened.name) + tally.lines(),
    )
    return summary.totals.rejected > 0 && !values['allow-rejects'] ? 1 : 0
  } catch (error) {
    progress.done()
    flush()
    if (error instanceof UnknownFormatError) throw new UsageError(error.message)
    // The store refused the write as a whole: a clash the matching could not see (a citation key), or its database.
    if (error instanceof RecordConflictError || error instanceof InvalidRecordsError || error instanceof StoreUnavailableError) {
      streams.stderr.write(`citeserve import: nothing written: ${error.message}\n`)
      return 1
    }
    throw error
  } finally {
    await opened.close()
  }
}


/** `citeserve import …`: the exit status, with the report on `stdout` and problems on `stderr`. */
export async function importCommand(argv: readonly string[], streams: Streams, openDatabase: OpenDatabaseTarget): Promise<number> {
  try {
    return await run(argv, streams, openDatabase)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    streams.stderr.write(`citeserve import: ${error.message}\n`)
    return 2
  }
}
