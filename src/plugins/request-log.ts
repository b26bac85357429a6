import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { UNMATCHED_ROUTE } from '../metrics.js'
import { problemTypeSent } from './problems.js'

// An incoming X-Request-Id is honoured only when it is short and plain, so that a client cannot
// inject log lines or huge values through it.
const ACCEPTABLE_REQUEST_ID = /^[\w.:@-]{1,128}$/

/** Fastify's `genReqId`: the caller's X-Request-Id when acceptable, else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id']
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID()
}

/** Who asked, and why an error was one: the parts of a request's log line beyond the request itself. */
export interface RequestParty {
  /** The client's address (behind trusted proxies, from X-Forwarded-For). */
  readonly client?: string | undefined
  readonly userAgent?: string | undefined
  /** The problem type of a 4xx or 5xx answer. */
  readonly problem?: string | undefined
}

/**
 * What the log line of a completed request says (the request id is the logger's binding). An
 * unmatched route is `unmatched`, as in the metrics.
 */
export function completedRequestLine(
  method: string,
  url: string,
  route: string | undefined,
  status: number,
  elapsedMs: number,
  { client, userAgent, problem }: RequestParty = {},
) {
  return {
    method,
    url,
    route: route ?? UNMATCHED_ROUTE,
    status,
    durationMs: Math.round(elapsedMs * 100) / 100,
    client,
    userAgent,
    ...(problem !== undefined ? { problem } : {}),
  }
}

/**
 * One log line per request, written when it completes, instead of Fastify's two; routes marked
 * `quietLog` (the health probes) write none.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ disableRequestLogging: (request) => (request.routeOptions.config as { quietLog?: boolean }).quietLog === true })
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    const line = completedRequestLine(request.method, request.originalUrl, request.routeOptions.url, reply.statusCode, reply.elapsedTime, {
      client: request.ip,
      userAgent: request.headers['user-agent'],
      problem: reply.statusCode >= 400 ? problemTypeSent(reply) : undefined,
    })
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else reply.log.info(line, 'request completed')
  }
}

/** Returns the request id to the caller, so that both sides can quote it. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
}
