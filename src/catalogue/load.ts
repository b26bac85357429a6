import { readFile, stat } from 'node:fs/promises'
import { describeRecordProblem, type RecordProblem } from './record-problem.js'
import type { CslItem } from './schema.js'
import { recordProblems } from './validate-record.js'

/** How many record problems one startup message lists before it summarises the rest. */
const MAX_PROBLEMS_REPORTED = 20

/** Why a data file cannot be served, worded for the person who has to fix the file. */
export class CatalogueError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`data file ${file}: ${reason}`)
    this.name = 'CatalogueError'
  }
}

/** The error that lists a data file's record problems. */
export function recordsError(file: string, problems: readonly RecordProblem[]): CatalogueError {
  const listed = problems.slice(0, MAX_PROBLEMS_REPORTED).map(describeRecordProblem)
  if (problems.length > listed.length) listed.push(`… and ${problems.length - listed.length} more problems`)
  const noun = problems.length === 1 ? 'problem' : 'problems'
  return new CatalogueError(file, `${problems.length} ${noun} with records\n  ${listed.join('\n  ')}`)
}

/** Records validated between two pauses: a few milliseconds of work. */
const SLICE = 1000

// Lets the requests waiting on the event loop run between two slices of a load: a reload of a large
// catalogue happens while the old one is serving.
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Validates already-parsed JSON as CSL-JSON records, a slice of records at a time; whether they clash is checked as they are indexed. */
export async function itemsFromJson(file: string, json: unknown): Promise<CslItem[]> {
  if (!Array.isArray(json)) {
    const found = json === null ? 'null' : typeof json
    throw new CatalogueError(file, `the top level must be a JSON array of CSL-JSON items, found ${found}`)
  }
  const problems: RecordProblem[] = []
  const items: CslItem[] = []
  for (let index = 0; index < json.length; index++) {
    const record: unknown = json[index]
    const found = recordProblems(index, record)
    if (found.length === 0) items.push(record as CslItem)
    else problems.push(...found)
    if (index % SLICE === SLICE - 1) await yieldToEventLoop()
  }
  if (problems.length > 0) throw recordsError(file, problems)
  return items
}

/** The records of a data file, and when the file was last written. */
export interface DataFile {
  readonly items: CslItem[]
  readonly modified: Date
}

/** Reads, parses and validates the data file: the only place the service touches it. */
export async function readDataFile(file: string): Promise<DataFile> {
  let text: string
  let modified: Date
  try {
    // One decoding of the whole file: readFile with an encoding decodes it chunk by chunk into a
    // string that JSON.parse must first copy into one piece, which costs a large file a tenth of a second.
    text = (await readFile(file)).toString('utf8')
    modified = (await stat(file)).mtime
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(error)})`
    throw new CatalogueError(file, reason)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new CatalogueError(file, `is not valid JSON: ${(error as SyntaxError).message}`)
  }
  return { items: await itemsFromJson(file, json), modified }
}
