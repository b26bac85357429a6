import type { ErrorObject } from 'ajv'
// The official CSL-JSON data schema, compiled by ajv ahead of time (scripts/csl-data-validator.ts).
import { validate as validateItem } from './csl-data-validator.js'
import type { RecordProblem } from './record-problem.js'

/** Where a JSON pointer leads in a value, and the field path people read (`author[0].family`). */
function locate(record: unknown, pointer: string): { field: string; value: unknown } {
  let field = ''
  let value = record
  for (const escaped of pointer.split('/').slice(1)) {
    const key = escaped.replaceAll('~1', '/').replaceAll('~0', '~')
    const inArray = Array.isArray(value)
    field = inArray ? `${field}[${key}]` : field === '' ? key : `${field}.${key}`
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  }
  return { field, value }
}

function join(field: string, key: string): string {
  return field === '' ? key : `${field}.${key}`
}

/** A JSON value's kind, as the messages name it. */
function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function listed(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? '')
}

/** One schema error as the field it concerns and what is wrong with it. */
function describe(error: ErrorObject, record: unknown): { field: string; message: string } {
  const { field, value } = locate(record, error.instancePath)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties':
      return { field: join(field, String(params.additionalProperty)), message: 'is not a CSL-JSON variable' }
    case 'required':
      return { field: join(field, String(params.missingProperty)), message: 'is required' }
    case 'type': {
      const expected = Array.isArray(params.type) ? params.type.map(String) : String(params.type).split(',')
      return { field, message: `Invalid input: expected ${listed(expected)}, received ${kindOf(value)}` }
    }
    case 'enum': {
      const allowed = (params.allowedValues as readonly unknown[]).map((option) => JSON.stringify(option)).join('|')
      return { field, message: `Invalid option: expected one of ${allowed}` }
    }
    case 'minItems':
      return { field, message: `Too small: expected array to have >=${String(params.limit)} items` }
    case 'maxItems':
      return { field, message: `Too big: expected array to have <=${String(params.limit)} items` }
    default:
      return { field, message: error.message ?? error.keyword }
  }
}

/** An `anyOf` error only sums up the errors of its branches, which are reported themselves. */
function summarises(error: ErrorObject, errors: readonly ErrorObject[]): boolean {
  return (
    error.keyword === 'anyOf' &&
    errors.some((other) => other !== error && other.keyword !== 'anyOf' && `${other.instancePath}/`.startsWith(`${error.instancePath}/`))
  )
}

// Beyond the schema: the id is what clients put into URLs, so it must be non-empty and free of control characters.
function idProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined
  if (id === '') return 'must not be empty'
  if (/\p{Cc}/u.test(id)) return 'must not contain control characters'
  return undefined
}

/**
 * What is wrong with the record at `index` of the data file, every field in error, or nothing
 * when it is a CSL-JSON item citeserve can serve.
 */
export function recordProblems(index: number, record: unknown): RecordProblem[] {
  const rawId = typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : undefined
  const problems: RecordProblem[] = []
  if (!validateItem(record)) {
    const errors = validateItem.errors ?? []
    for (const error of errors) if (!summarises(error, errors)) problems.push({ index, id, ...describe(error, record) })
  }
  const wrongId = idProblem(rawId)
  if (wrongId !== undefined) problems.push({ index, id, field: 'id', message: wrongId })
  return problems
}
