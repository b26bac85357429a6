import type { FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify'
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RecordProblem } from '../catalogue/record-problem.js'
import type { CslItem } from '../catalogue/schema.js'
import type { CatalogueStore, ChangeOutcome, StoredWork, WorkChange } from '../catalogue/store.js'
import { recordProblems } from '../catalogue/validate-record.js'
import { IMPORT_MEDIA_TYPES } from '../formats/read/formats.js'
import { HttpProblem } from '../http/problem.js'
import { problem, problemResponses, workEnvelope, workParams } from './schemas.js'
import { invalidRecords, writeProblemOf } from './write-problems.js'
import { importFormatOf, importFromBody, refuseImportOptions } from './write-import.js'
import {
  conflictProblems,
  createHeaders,
  importQuery,
  importResultEnvelope,
  postBody,
  putBody,
  writeHeaders,
  writeProblems,
  writeResultEnvelope,
  writeSecurity,
} from './write-schemas.js'
import { createOnly, preconditionOf, workTag } from './work-tag.js'
import { sendMetadata } from './works.js'

export interface WriteRoutesOptions {
  readonly store: CatalogueStore
  /** The largest body a write may have, in bytes. */
  readonly maxBytes: number
  /** The most works one POST may write. */
  readonly maxWorks: number
}

/** The media types a write's body may have: JSON, and CSL-JSON's own. */
const JSON_TYPES = ['application/json', 'application/vnd.citationstyles.csl+json']
/** The import formats' media types that are read as text: all but CSL-JSON's, which is parsed as JSON for PUT. */
const TEXT_IMPORT_TYPES = IMPORT_MEDIA_TYPES.filter((type) => !JSON_TYPES.includes(type))
/** What POST /works takes: a JSON array of works to write, or a body in an import format. */
const POST_TYPES = [...new Set([...JSON_TYPES, ...IMPORT_MEDIA_TYPES])]

/** The request bodies of POST /works, by media type, for the OpenAPI document. */
const postContent = Object.fromEntries<{ schema: z.ZodType }>([
  ['application/json', { schema: postBody }],
  ...IMPORT_MEDIA_TYPES.map((type): [string, { schema: z.ZodType }] => {
    const records = type.endsWith('json') ? z.union([z.array(z.looseObject({})), z.looseObject({})]) : z.string()
    return [type, { schema: records.describe('Records to import in this format, read as `citeserve import` reads a file') }]
  }),
])

/** 415 for a body in a media type the route does not take, listing those it does. */
function unsupportedMediaType(request: FastifyRequest): HttpProblem {
  const taken = request.method === 'POST' ? POST_TYPES : JSON_TYPES
  return new HttpProblem(
    'unsupported-media-type',
    `The body must be ${taken.join(', ')}, not ${request.headers['content-type'] ?? 'untyped'}.`,
    { available: taken },
  )
}

const WRITE_CONFIG = { write: true } as const

const workPath = (id: string) => `/works/${encodeURIComponent(id)}`

type Written = Extract<ChangeOutcome, { work: StoredWork }>

/** Applies the changes, turning the store's refusals into the problems they are. */
async function apply(store: CatalogueStore, changes: readonly WorkChange[]): Promise<readonly ChangeOutcome[]> {
  try {
    return await store.write(changes)
  } catch (error) {
    throw writeProblemOf(error) ?? error
  }
}

function written(outcome: ChangeOutcome | undefined): Written {
  if (outcome === undefined || outcome.outcome === 'deleted') throw new Error('the store did not report the work it wrote')
  return outcome
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A record's id as a string, if it has one CSL-JSON allows. */
function idOf(record: unknown): string | undefined {
  return isObject(record) && (typeof record.id === 'string' || typeof record.id === 'number') ? String(record.id) : undefined
}

/** The body of a PUT as the record to store (the path's id when it has none), or 422 with every field in error. */
function recordOf(body: unknown, id: string): CslItem {
  if (!isObject(body)) throw invalidRecords([{ index: 0, field: '', message: 'the body must be one CSL-JSON item, a JSON object' }])
  const bodyId = body.id
  if (bodyId !== undefined && bodyId !== id && !(typeof bodyId === 'number' && String(bodyId) === id)) {
    throw invalidRecords([{ index: 0, id, field: 'id', message: `must be the id in the path, ${JSON.stringify(id)}, or be left out` }])
  }
  const record = bodyId === undefined ? { ...body, id } : body
  const problems = recordProblems(0, record)
  if (problems.length > 0) throw invalidRecords(problems)
  // Validated against the CSL-JSON schema just now, as the data file's records are.
  return record as CslItem
}

/** The body of a POST as the records to store, or 413 or 422 naming every record and field in error. */
function recordsOf(body: unknown, maxWorks: number): CslItem[] {
  if (!Array.isArray(body)) throw invalidRecords([{ index: 0, field: '', message: 'the body must be a JSON array of CSL-JSON items' }])
  if (body.length > maxWorks) {
    throw new HttpProblem(
      'content-too-large',
      `A POST may write at most ${maxWorks} works; this one has ${body.length}. Send them in several.`,
    )
  }
  if (body.length === 0) throw invalidRecords([{ index: 0, field: '', message: 'the array is empty: there is nothing to write' }])
  const problems: RecordProblem[] = []
  const seen = new Map<string, number>()
  for (const [index, record] of body.entries()) {
    const found = recordProblems(index, record)
    problems.push(...found)
    const id = idOf(record)
    if (id === undefined) continue
    const first = seen.get(id)
    if (first !== undefined) problems.push({ index, id, field: 'id', message: `repeats the id of record ${first} of this request` })
    else seen.set(id, index)
  }
  if (problems.length > 0) throw invalidRecords(problems)
  // Each validated against the CSL-JSON schema just now, as the data file's records are.
  return body as CslItem[]
}

/** A work's answer to a write: its metadata with its ETag, as GET gives them, and, when it was created, 201 and its URL. */
function replyWritten(reply: FastifyReply, { outcome, work }: Written): FastifyReply {
  if (outcome === 'created') reply.code(201).header('location', workPath(work.id))
  return sendMetadata(reply, work)
}

/**
 * The writes: PUT and DELETE of one work, POST of several, each all or nothing. The write plugin
 * authenticates every request (their routes are marked `write`) and logs each; these routes take the
 * body, check it with the catalogue's validator, map If-Match and If-None-Match onto the store's
 * conditions, and answer with the works' new ETags.
 */
export const writeRoutes: FastifyPluginAsyncZod<WriteRoutesOptions> = async (app, { store, maxBytes, maxWorks }) => {
  // Bodies are JSON, or text in an import format for POST /works, here alone; other media types get 415
  // listing those the route takes.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  app.addContentTypeParser(TEXT_IMPORT_TYPES, { parseAs: 'string' }, async (request: FastifyRequest, body: string) => {
    if (request.method !== 'POST') throw unsupportedMediaType(request)
    return body
  })
  app.addContentTypeParser('*', async (request: FastifyRequest) => {
    throw unsupportedMediaType(request)
  })
  // The body is checked by the catalogue's validator, which names every field in error (422); its zod
  // schema only documents it.
  const bodyUnchecked: FastifySchemaCompiler<z.ZodType> = (route) =>
    route.httpPart === 'body' ? (value: unknown) => ({ value }) : validatorCompiler(route)
  app.setValidatorCompiler(bodyUnchecked)

  app.put(
    '/works/:id',
    {
      config: WRITE_CONFIG,
      bodyLimit: maxBytes,
      schema: {
        tags: ['writes'],
        summary: 'Create or replace a work',
        description:
          'Creates the work (201, with Location) or replaces it (200), all of it. Without If-Match or If-None-Match the last write wins. ' +
          'The path is the record id, never a DOI.',
        security: writeSecurity,
        params: workParams,
        headers: writeHeaders,
        body: putBody,
        response: {
          200: workEnvelope.describe('Replaced (or unchanged); ETag is the work’s new one'),
          201: workEnvelope.describe('Created; Location is its URL and ETag its version'),
          ...conflictProblems,
          ...writeProblems,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      request.writeTargets = [id]
      const item = recordOf(request.body, id)
      const precondition = await preconditionOf(store, id, request.headers)
      const [outcome] = await apply(store, [{ kind: 'put', item, ...precondition }])
      const work = written(outcome)
      request.written = [{ id, outcome: work.outcome }]
      return replyWritten(reply, work)
    },
  )

  app.delete(
    '/works/:id',
    {
      config: WRITE_CONFIG,
      bodyLimit: maxBytes,
      schema: {
        tags: ['writes'],
        summary: 'Delete a work',
        security: writeSecurity,
        params: workParams,
        headers: writeHeaders,
        response: {
          204: z.null().describe('Deleted'),
          404: problemResponses[404],
          ...conflictProblems,
          ...writeProblems,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      request.writeTargets = [id]
      const { ifVersion } = await preconditionOf(store, id, { 'if-match': request.headers['if-match'] })
      if (request.headers['if-none-match'] !== undefined) {
        throw HttpProblem.invalidParameters([
          { in: 'header', name: 'If-None-Match', detail: 'means "create only", which a deletion is not' },
        ])
      }
      await apply(store, [{ kind: 'delete', id, ifVersion }])
      request.written = [{ id, outcome: 'deleted' }]
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/works',
    {
      config: WRITE_CONFIG,
      bodyLimit: maxBytes,
      schema: {
        tags: ['writes'],
        summary: 'Add or replace several works, or import records',
        description:
          `A JSON array (application/json) of up to ${maxWorks} CSL-JSON items, each with its id: all are written, or none. ` +
          'Each is created or replaced (last write wins); with If-None-Match: * only created, and if one exists nothing is written (412). ' +
          '201 if any work was created (with Location when the array had one work), else 200. ' +
          `A body in BibTeX or BibLaTeX, RIS, EndNote, CSL-JSON or DataCite JSON (by its media type) of up to ${maxWorks} records is imported ` +
          'as `citeserve import` imports a file: matched by DOI, then id, with on-conflict, allow-rejects and dry-run; ' +
          'the answer is its report (201 if a work was added), or 422 with the report when a record was rejected, and nothing is written.',
        security: writeSecurity,
        headers: createHeaders,
        querystring: importQuery,
        body: { content: postContent },
        response: {
          200: z
            .union([writeResultEnvelope, importResultEnvelope])
            .describe('A JSON array: every work written, each with its outcome and new ETag. An import: its report'),
          201: z.union([writeResultEnvelope, importResultEnvelope]).describe('As 200; at least one work was created (or added)'),
          ...conflictProblems,
          ...writeProblems,
          422: problem('A record is invalid (`records` lists every field in error); an import had records rejected (`report`)'),
        },
      },
    },
    async (request, reply) => {
      const format = importFormatOf(request.headers['content-type'])
      if (format !== undefined) return importFromBody(request, reply, { store, maxWorks, format, query: request.query })
      refuseImportOptions(request.query)
      // The ids are known for the log line before the records are checked, so that a refusal names them too.
      if (Array.isArray(request.body)) request.writeTargets = request.body.flatMap((record: unknown) => idOf(record) ?? [])
      const items = recordsOf(request.body, maxWorks)
      if (request.headers['if-match'] !== undefined) {
        throw HttpProblem.invalidParameters([{ in: 'header', name: 'If-Match', detail: 'is for one work: use PUT /works/{id}' }])
      }
      const ifAbsent = createOnly(request.headers['if-none-match'])
      const outcomes = (
        await apply(
          store,
          items.map((item) => ({ kind: 'put' as const, item, ifAbsent })),
        )
      ).map(written)
      request.written = outcomes.map(({ id, outcome }) => ({ id, outcome }))
      const created = outcomes.filter((outcome) => outcome.outcome === 'created')
      if (created.length > 0) reply.code(201)
      if (outcomes.length === 1 && created.length === 1) reply.header('location', workPath(outcomes[0]?.id ?? ''))
      return {
        status: 'ok' as const,
        'message-type': 'work-write' as const,
        'message-version': '1.0.0' as const,
        message: {
          items: outcomes.map(({ id, outcome, work }) => ({ id, outcome, location: workPath(id), etag: workTag(work) })),
        },
      }
    },
  )
}
