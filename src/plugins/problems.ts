import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasZodFastifySchemaValidationErrors, type ZodFastifySchemaValidationError } from 'fastify-type-provider-zod'
import { STATUS_CODES } from 'node:http'
import { z } from 'zod'
import {
  HttpProblem,
  PROBLEM_KINDS,
  PROBLEM_MEDIA_TYPE,
  problemType,
  type InvalidParameter,
  type ParameterLocation,
  type ProblemBody,
} from '../http/problem.js'

const LOCATIONS: Record<string, ParameterLocation> = { querystring: 'query', params: 'path', headers: 'header' }

function instanceOf(request: FastifyRequest): string {
  return request.originalUrl.split('?')[0] ?? '/'
}

function where(request: FastifyRequest): Pick<ProblemBody, 'instance' | 'requestId'> {
  return { instance: instanceOf(request), requestId: request.id }
}

declare module 'fastify' {
  interface FastifyReply {
    /** The type of the problem this reply sent, for the request log line. */
    problemType: string | null
  }
}

/** The type of the problem a reply sent, for the request log line. */
export function problemTypeSent(reply: FastifyReply): string | undefined {
  return reply.problemType ?? undefined
}

function send(reply: FastifyReply, problem: ProblemBody, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  // The request id header is set here too, for the errors Fastify raises before any hook has run.
  // No cache may keep an error: the next request may well succeed.
  reply.problemType = problem.type
  return reply
    .code(problem.status)
    .headers({ ...headers, 'x-request-id': reply.request.id, 'cache-control': 'no-store' })
    .type(PROBLEM_MEDIA_TYPE)
    .send(JSON.stringify(problem))
}

/** The names of the parameters an operation takes in one place (query, path), from its zod schema. */
function parametersOf(request: FastifyRequest | undefined, context: string | undefined): string[] {
  const schema = (request?.routeOptions.schema as Record<string, unknown> | undefined)?.[context ?? '']
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : []
}

function unknownParameter(location: ParameterLocation, name: string, parameters: readonly string[]): InvalidParameter {
  // The parameter it begins ("q" for query), or the one with the same letters in another order ("stlye").
  const letters = (text: string) => [...text.toLowerCase()].sort().join('')
  const near =
    parameters.find((parameter) => parameter.startsWith(name.toLowerCase())) ??
    parameters.find((parameter) => letters(parameter) === letters(name))
  const hint = near !== undefined ? `; did you mean "${near}"?` : ''
  const list = parameters.length > 0 ? ` (parameters: ${parameters.join(', ')})` : ''
  return { in: location, name, detail: `is not a parameter of this operation${hint}${list}`, allowed: [...parameters] }
}

function invalidParameters(
  error: ZodFastifySchemaValidationError,
  context: string | undefined,
  request?: FastifyRequest,
): InvalidParameter[] {
  const location = LOCATIONS[context ?? ''] ?? 'query'
  const params = error.params as { keys?: string[]; values?: unknown[]; params?: { allowed?: string[] } }
  if (error.keyword === 'unrecognized_keys' && params.keys) {
    const parameters = parametersOf(request, context)
    return params.keys.map((name) => unknownParameter(location, name, parameters))
  }
  const name = error.instancePath.replace(/^\//, '').split('/')[0] ?? ''
  const values = error.keyword === 'invalid_value' ? params.values : params.params?.allowed
  const allowed = values ? { allowed: values.map(String) } : {}
  return [{ in: location, name, detail: error.message ?? 'is invalid', ...allowed }]
}

function sendHttpProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  return send(reply, problem.body(reply.request.id, instanceOf(reply.request)), problem.headers)
}

export function noSuchRoute(request: FastifyRequest): HttpProblem {
  return new HttpProblem('not-found', `There is no route ${request.method} ${instanceOf(request)}.`)
}

/** Fastify's refusals of a request's body, as the problems the API documents. */
function bodyProblem(error: FastifyError, request: FastifyRequest | undefined): HttpProblem | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem(
        'content-too-large',
        `The body is larger than the ${request?.routeOptions.bodyLimit ?? ''} bytes this route takes.`,
      )
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpProblem(
        'unsupported-media-type',
        `The body must be JSON (Content-Type: application/json), not ${request?.headers['content-type'] ?? 'untyped'}.`,
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpProblem('malformed-request', `The body is not valid JSON: ${error.message}`)
  }
  // The JSON parser's own syntax errors carry the status 400 and JSON.parse's message.
  if (error instanceof SyntaxError && error.statusCode === 400)
    return new HttpProblem('malformed-request', `The body is not valid JSON: ${error.message}`)
  return undefined
}

/**
 * The problem a client error is: the service's own, or invalid parameters; undefined for anything else.
 * With the request, an unknown parameter is answered with the operation's parameters.
 */
export function clientProblemOf(error: FastifyError, request?: FastifyRequest): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    return HttpProblem.invalidParameters(error.validation.flatMap((item) => invalidParameters(item, error.validationContext, request)))
  }
  return bodyProblem(error, request)
}

/** Answers any error as an RFC 9457 problem; the stack trace of an unexpected one stays in the log. */
export function replyWithProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = clientProblemOf(error, request)
  if (problem) return sendHttpProblem(reply, problem)
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendHttpProblem(reply, new HttpProblem('uri-too-long', 'A segment of the URL path is too long.'))
  }
  if (error.code === 'FST_ERR_HANDLER_TIMEOUT') {
    request.log.error({ err: error }, 'request timed out')
    const seconds = Math.ceil(request.routeOptions.handlerTimeout / 1000)
    return sendHttpProblem(reply, new HttpProblem('response-timeout', `The server did not answer within ${seconds} s; try again later.`))
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad URL encoding, unsupported body...) carry safe messages.
    const title = STATUS_CODES[status] ?? 'Client error'
    return send(reply, { type: problemType('http-error'), title, status, detail: error.message, ...where(request) })
  }
  request.log.error({ err: error }, 'request failed')
  const { title } = PROBLEM_KINDS['internal-error']
  const detail = `The server could not answer this request. Quote request id ${request.id} when reporting it.`
  return send(reply, { type: problemType('internal-error'), title, status: 500, detail, ...where(request) })
}

export interface ProblemsOptions {
  /** The problem an error of a lower layer is (one the routes do not catch), if it is one. */
  readonly problemOf?: ((error: unknown) => HttpProblem | undefined) | undefined
}

/**
 * Turns every error and every unmatched route into a problem. Errors Fastify raises before routing
 * (a malformed URL) reach `replyWithProblem` through the `frameworkErrors` option of the app instead.
 */
export const problemsPlugin = fp<ProblemsOptions>(
  async (app, { problemOf }) => {
    app.decorateReply('problemType', null)
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const problem = problemOf?.(error)
      if (problem === undefined) return replyWithProblem(error, request, reply)
      request.log.warn({ reason: error.message }, problem.detail)
      return sendHttpProblem(reply, problem)
    })
    app.setNotFoundHandler((request, reply) => sendHttpProblem(reply, noSuchRoute(request)))
  },
  { name: 'citeserve-problems', fastify: '5.x' },
)
