import { z } from 'zod'
import { importReportSchema } from './import-report.js'

/** Where an invalid value was found. */
export type ParameterLocation = 'query' | 'path' | 'header'

export interface InvalidParameter {
  readonly in: ParameterLocation
  readonly name: string
  readonly detail: string
  readonly allowed?: readonly string[]
}

/** The problem kinds the API reports; each `type` is stable and documented in docs/api-and-negotiation.md. */
export const PROBLEM_KINDS = {
  'invalid-parameter': { status: 400, title: 'Invalid request parameter' },
  'malformed-request': { status: 400, title: 'Malformed request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  'writes-disabled': { status: 403, title: 'Writes are off' },
  'origin-not-allowed': { status: 403, title: 'Origin may not write' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'record-conflict': { status: 409, title: 'Conflicting record' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'invalid-record': { status: 422, title: 'Invalid record' },
  'records-rejected': { status: 422, title: 'Records rejected' },
  'incomplete-record': { status: 422, title: 'Record lacks what the format requires' },
  'request-timeout': { status: 408, title: 'Request timeout' },
  'content-too-large': { status: 413, title: 'Content too large' },
  'uri-too-long': { status: 414, title: 'URI too long' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'header-fields-too-large': { status: 431, title: 'Request header fields too large' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'response-timeout': { status: 503, title: 'Response timeout' },
  'service-busy': { status: 503, title: 'Service busy' },
  'catalogue-unavailable': { status: 503, title: 'Catalogue unavailable' },
} as const

export type ProblemKind = keyof typeof PROBLEM_KINDS

export const PROBLEM_MEDIA_TYPE = 'application/problem+json'

export const problemSchema = z
  .object({
    type: z.string().describe('A stable URI reference naming the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional().describe('The request path; absent when the request could not be parsed'),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          in: z.enum(['query', 'path', 'header']),
          name: z.string(),
          detail: z.string(),
          allowed: z.array(z.string()).optional(),
        }),
      )
      .optional()
      .describe('Every invalid parameter, for 400'),
    available: z.array(z.string()).optional().describe('The media types on offer, for 406, or taken, for 415'),
    records: z
      .array(
        z.object({
          index: z.number().int().describe('Position of the record in the request, from 0'),
          id: z.union([z.string(), z.number()]).optional(),
          field: z.string().describe('Path of the field, such as `author[0].family`'),
          detail: z.string(),
        }),
      )
      .optional()
      .describe('Every field in error of every record, for 422'),
    conflict: z
      .object({ field: z.enum(['id', 'DOI', 'citation-key']), work: z.string().describe('The id of the work that has it') })
      .optional()
      .describe('What the record shares with another work, for 409'),
    report: importReportSchema.optional().describe('The import report, for an import with records rejected (422)'),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem details object.' })

export type ProblemBody = z.infer<typeof problemSchema>

export function problemType(kind: ProblemKind | 'http-error'): string {
  return `/problems/${kind}`
}

/** An error that the API reports to the client as a problem of a known kind. */
export class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extensions: Pick<ProblemBody, 'errors' | 'available' | 'records' | 'conflict' | 'report'> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail)
    this.name = 'HttpProblem'
  }

  get status(): number {
    return PROBLEM_KINDS[this.kind].status
  }

  /** The problem details object, for the request at `instance` (if it could be parsed). */
  body(requestId: string, instance?: string): ProblemBody {
    const { title, status } = PROBLEM_KINDS[this.kind]
    return { type: problemType(this.kind), title, status, detail: this.detail, ...this.extensions, instance, requestId }
  }

  static invalidParameters(errors: readonly InvalidParameter[]): HttpProblem {
    const detail = errors.map((error) => `${describeLocation(error)}: ${error.detail}`).join('; ')
    return new HttpProblem('invalid-parameter', detail, {
      errors: [...errors].map((error) => ({ ...error, allowed: error.allowed && [...error.allowed] })),
    })
  }
}

function describeLocation({ in: location, name }: InvalidParameter): string {
  if (location === 'header') return `header ${name}`
  return `${location === 'query' ? 'query' : 'path'} parameter "${name}"`
}
