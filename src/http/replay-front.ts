import type { FastifyBaseLogger } from 'fastify'
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http'
import type { Metrics } from '../metrics.js'
import { hasContent } from '../plugins/limits.js'
import { completedRequestLine, requestIdOf } from '../plugins/request-log.js'
import { isNotModified } from './conditional.js'
import type { ReplayStore } from './replay-store.js'

/** Answers a request and returns true, or returns false and leaves it untouched for Fastify. */
export type Front = (request: IncomingMessage, response: ServerResponse) => boolean

export interface ReplayFrontOptions {
  readonly store: ReplayStore
  /**
   * Whether requests must go through the whole pipeline for now, stored answer or not: while draining
   * (answers then carry `Connection: close`) or under a rate limit (which counts every request).
   */
  readonly passOn: () => boolean
  readonly metrics: Metrics
  readonly logger?: FastifyBaseLogger
}

/**
 * Replays stored answers before Fastify sees the request (see src/plugins/replay.ts for what is stored,
 * and when). What the pipeline does to every answer is done here too, with the same functions: a
 * request id of its own (the caller's when acceptable), a 304 to a matching conditional request, the
 * request metrics and the log line. Anything else (another method, request content, no stored answer)
 * goes on to Fastify, which answers it, or refuses it, as ever.
 *
 * The time measured (metrics, log line) runs until the answer is handed to the socket, where Fastify's
 * runs until the socket has written it: for these small answers on an open connection, the same moment.
 */
export function replayFront({ store, passOn, metrics, logger }: ReplayFrontOptions): Front {
  return (request, response) => {
    const { method = '', url = '', headers } = request
    if ((method !== 'GET' && method !== 'HEAD') || hasContent(headers) || passOn()) return false
    const answer = store.find(url, headers)
    if (answer === undefined) return false
    const started = performance.now()
    const requestId = requestIdOf(request)
    const unchanged = isNotModified(headers, answer)
    const status = unchanged ? 304 : 200
    // Node writes the status line, these and Date, Connection and Keep-Alive: no other header is set.
    const sent = [...(unchanged ? answer.headersOf304 : answer.headersOf200), 'x-request-id', requestId]
    // As notModified does: a 304 to HEAD tells the length of the 200's content.
    if (unchanged && method === 'HEAD') sent.push('content-length', String(Buffer.byteLength(answer.body)))
    response.writeHead(status, sent)
    // Node sends no content for HEAD, nor with a 304, whatever it is given.
    response.end(answer.body)
    const elapsedMs = performance.now() - started
    metrics.observeRequest({ route: answer.route, method, status, seconds: elapsedMs / 1000 })
    logger?.info({ reqId: requestId, ...completedRequestLine(method, url, answer.route, status, elapsedMs) }, 'request completed')
    return true
  }
}

/** The options of Fastify's own HTTP server that `frontedServer` applies as Fastify does (fastify/lib/server.js). */
export interface HttpServerOptions {
  readonly http?: ServerOptions
  readonly keepAliveTimeout?: number
  readonly requestTimeout?: number
  readonly connectionTimeout?: number
}

/**
 * Fastify's `serverFactory`: the HTTP server Fastify would make itself, set up the same way, whose
 * requests go to `front` first and to Fastify's handler when the front leaves them.
 */
export function frontedServer(
  front: Front,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  { http = {}, keepAliveTimeout, requestTimeout, connectionTimeout }: HttpServerOptions,
): Server {
  const server = createServer(http, (request, response) => {
    if (!front(request, response)) handler(request, response)
  })
  if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout
  if (requestTimeout !== undefined) server.requestTimeout = requestTimeout
  server.setTimeout(connectionTimeout ?? 0)
  return server
}
