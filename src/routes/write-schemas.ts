import { z } from 'zod'
import { importReportSchema } from '../http/import-report.js'
import { WRITE_SECURITY_SCHEME } from '../http/write-tokens.js'
import { cslItemSchema, envelope, problem } from './schemas.js'

// The request and response schemas of the writes, for the OpenAPI document. Their bodies are validated
// by the catalogue's own validator (every field in error, 422), not by these.

export const writeSecurity = [{ [WRITE_SECURITY_SCHEME]: [] }]

export const writeHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .describe('Write only if the work is unchanged: its ETag (from GET /works/{id} or a write), or * for "exists"'),
  'if-none-match': z.literal('*').optional().describe('* : create only, if no work has this id'),
})

export const createHeaders = z.object({
  'if-none-match': z.literal('*').optional().describe('* : create only; if any of the works exists, nothing is written'),
})

const writtenWork = z.object({
  id: z.string(),
  outcome: z.enum(['created', 'replaced', 'unchanged']),
  location: z.string().describe('The work’s URL'),
  etag: z.string().describe('The work’s new ETag, for If-Match'),
})

export const writeResultEnvelope = envelope('work-write', z.object({ items: z.array(writtenWork) })).meta({ id: 'WorkWriteMessage' })

export const putBody = cslItemSchema.describe('The work, as a CSL-JSON item; its `id`, if any, must be the one in the path')
export const postBody = z.array(cslItemSchema).describe('The works, CSL-JSON items each with an `id`; all are written, or none')

const flag = z.enum(['true', 'false'])

/** The import's options, as `citeserve import` has them; for a body in an import format only. */
export const importQuery = z.object({
  'on-conflict': z
    .enum(['fail', 'replace', 'skip'])
    .optional()
    .describe(
      'An import: a record that matches a work (by DOI, then id) and differs from it is rejected (fail, the default), replaces the work, or is skipped',
    ),
  'allow-rejects': flag.optional().describe('An import: write the other records when some are rejected (default false: write none)'),
  'dry-run': flag.optional().describe('An import: report what would become of each record, and write nothing'),
})

export const importResultEnvelope = envelope('work-import', importReportSchema).meta({ id: 'WorkImportMessage' })

/** What every write may answer besides its success. */
export const writeProblems = {
  401: problem('No token, or not a write token; WWW-Authenticate: Bearer'),
  403: problem('Writes are off (no WRITE_TOKENS_FILE), or a page of an origin not allowed to write'),
  413: problem('The body is larger than WRITE_MAX_BYTES, or a POST has more than WRITE_MAX_WORKS works'),
  415: problem('The body is in no media type the route takes; `available` lists them'),
  422: problem('A record is invalid; `records` lists every field in error'),
  429: problem('Too many failed authentications (or requests, with the rate limit on) from this client; Retry-After'),
  503: problem('The catalogue store cannot take writes now, or the write took longer than REQUEST_TIMEOUT; Retry-After'),
} as const

export const conflictProblems = {
  400: problem('If-None-Match other than *, or with If-Match'),
  409: problem('Another work has this DOI or citation key; `conflict` names it'),
  412: problem('If-Match: the work changed since (or does not exist); If-None-Match: * : it exists'),
} as const
