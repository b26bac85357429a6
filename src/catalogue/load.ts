import { readFile, stat } from 'node:fs/promises'
import type { z } from 'zod'
import { Catalogue } from './catalogue.js'
import { describeRecordProblem, RecordClashError, type RecordProblem } from './record-problem.js'
import { quickCheck } from './quick-check.js'
import { cslItemSchema, type CslItem } from './schema.js'
import { SearchIndex } from './search-index.js'

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

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
    '',
  )
}

function problemsOf(index: number, record: unknown, error: z.ZodError): RecordProblem[] {
  const rawId = typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : undefined
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ index, id, field: fieldPath([...issue.path, key]), message: 'is not a CSL-JSON variable' }))
    }
    return [{ index, id, field: fieldPath(issue.path), message: issue.message }]
  })
}

function report(file: string, problems: readonly RecordProblem[]): CatalogueError {
  const listed = problems.slice(0, MAX_PROBLEMS_REPORTED).map(describeRecordProblem)
  if (problems.length > listed.length) listed.push(`… and ${problems.length - listed.length} more problems`)
  const noun = problems.length === 1 ? 'problem' : 'problems'
  return new CatalogueError(file, `${problems.length} ${noun} with records\n  ${listed.join('\n  ')}`)
}

// Accepts exactly the records the schema accepts, without zod's copy of each; what it refuses goes
// through zod, whose verdict stands and whose issues name the field.
const isCslItem = quickCheck(cslItemSchema)

/** Records validated between two pauses: a few milliseconds of work. */
const SLICE = 1000

// Lets the requests waiting on the event loop run between two slices of a load: a reload of a large
// catalogue happens while the old one is serving.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Validates already-parsed JSON as a catalogue whose records last changed at `modified`, a slice of records at a time. */
export async function catalogueFromJson(file: string, json: unknown, modified?: Date): Promise<Catalogue> {
  if (!Array.isArray(json)) {
    const found = json === null ? 'null' : typeof json
    throw new CatalogueError(file, `the top level must be a JSON array of CSL-JSON items, found ${found}`)
  }
  const problems: RecordProblem[] = []
  const items: CslItem[] = []
  for (let index = 0; index < json.length; index++) {
    const record: unknown = json[index]
    // The record itself is kept, not zod's copy: it is the same data, in the file's key order.
    if (isCslItem(record)) items.push(record as CslItem)
    else {
      const result = cslItemSchema.safeParse(record)
      if (result.success) items.push(record as CslItem)
      else problems.push(...problemsOf(index, record, result.error))
    }
    if (index % SLICE === SLICE - 1) await yieldToEventLoop()
  }
  if (problems.length > 0) throw report(file, problems)
  const searchIndex = await SearchIndex.build(items, yieldToEventLoop)
  try {
    return new Catalogue(items, modified, searchIndex)
  } catch (error) {
    if (error instanceof RecordClashError) throw report(file, error.problems)
    throw error
  }
}

/** Reads, parses and validates the data file: the only place the service touches it. */
export async function loadCatalogue(file: string): Promise<Catalogue> {
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
  return catalogueFromJson(file, json, modified)
}
