import type { ConnectionError, FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { randomUUID } from 'node:crypto'
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http'
import type { Socket } from 'node:net'
import { HttpProblem, PROBLEM_MEDIA_TYPE } from '../http/problem.js'
import { noSuchRoute } from './problems.js'
import { API_SECURITY_HEADERS } from './security-headers.js'

/** The longest URL served, in characters; longer ones get 414. */
export const MAX_URL_LENGTH = 4096
/** The most bytes of request line and headers together (Node's default, made explicit); more gets 431. */
export const MAX_HEADER_SIZE = 16_384
/** The methods every route serves; another gets 405 on a route that exists, unless a route of the path has it. */
const SERVED_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const
export const ALLOW = SERVED_METHODS.join(', ')
/** The methods only some routes have: the writes, and the OAI-PMH form. */
const ROUTED_METHODS = ['PUT', 'DELETE', 'POST'] as const

/** A route that takes a form (POST, application/x-www-form-urlencoded), as OAI-PMH does, says so in its config. */
export interface FormRouteConfig {
  readonly form?: boolean
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route changes the catalogue: it takes its method and content (within its body limit), and
     * the write plugin authenticates every request to it.
     */
    readonly write?: boolean
  }
}

const LONG_REQUEST_LINE = new RegExp(`^[A-Z]+ [^\\r\\n]{${MAX_URL_LENGTH},}`)

/** A header section too large because of its request line is reported as a URL too long. */
function requestLineTooLong(rawPacket: unknown): boolean {
  // Node passes the bytes it was parsing as a Buffer (Fastify's type for them is wrong).
  return Buffer.isBuffer(rawPacket) && LONG_REQUEST_LINE.test(rawPacket.subarray(0, MAX_URL_LENGTH + 32).toString('latin1'))
}

function isHead(rawPacket: unknown): boolean {
  return Buffer.isBuffer(rawPacket) && rawPacket.subarray(0, 5).toString('latin1') === 'HEAD '
}

function connectionProblem(error: ConnectionError): HttpProblem {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new HttpProblem('request-timeout', 'The request did not arrive in time.')
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return requestLineTooLong(error.rawPacket)
      ? new HttpProblem('uri-too-long', `The URL is longer than ${MAX_URL_LENGTH} characters.`)
      : new HttpProblem('header-fields-too-large', `The request line and headers exceed ${MAX_HEADER_SIZE} bytes together.`)
  }
  return new HttpProblem('malformed-request', `The request is not valid HTTP/1.1 (${error.code ?? 'unknown parser error'}).`)
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser rejects (headers too large, malformed
 * requests, a request that takes too long to arrive) never reaches Fastify's routing, so it is answered
 * here, on the socket, as a problem too, and the connection closed, as Node itself does.
 */
function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const problem = connectionProblem(error)
  // A response already under way on this connection must not be interleaved with another.
  if (socket.writable && socket.bytesWritten === 0) {
    const requestId = randomUUID()
    const body = JSON.stringify(problem.body(requestId))
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        `Content-Type: ${PROBLEM_MEDIA_TYPE}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nX-Request-Id: ${requestId}\r\n${SECURITY_HEADER_LINES}Connection: close\r\n\r\n${isHead(error.rawPacket) ? '' : body}`,
    )
  }
  socket.destroy()
}

// The API's security headers go with the problems written on the socket too, as with every other answer.
const SECURITY_HEADER_LINES = Object.entries(API_SECURITY_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('')

/** Options of the Fastify factory that bound what a client can make the server hold or wait for. */
export function limitOptions(timeoutSeconds: number, idleSeconds: number) {
  const timeout = timeoutSeconds * 1000
  return {
    // A connection on which nothing moves (a client that stopped reading an answer) is closed.
    connectionTimeout: idleSeconds * 1000,
    // The whole request must arrive within the timeout, and be answered within it (with 503).
    requestTimeout: timeout,
    handlerTimeout: timeout,
    http: {
      maxHeaderSize: MAX_HEADER_SIZE,
      headersTimeout: timeout,
      requestTimeout: timeout,
      connectionsCheckingInterval: 1000,
      // Node answers a missing Host with a bare 400 of its own; the request limits refuse it as a problem instead.
      requireHostHeader: false,
    },
    clientErrorHandler: answerClientError,
  }
}

/** Whether a request has content, which no request to this API may have. */
function hasContent(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length']
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** Why the API refuses a request before anything is parsed, if it does. */
function refusal(app: FastifyInstance, request: FastifyRequest): HttpProblem | undefined {
  if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
    return new HttpProblem('malformed-request', 'An HTTP/1.1 request must have a Host header.')
  }
  if (request.originalUrl.length > MAX_URL_LENGTH) {
    return new HttpProblem('uri-too-long', `The URL has ${request.originalUrl.length} characters; at most ${MAX_URL_LENGTH} are served.`)
  }
  const { config } = request.routeOptions
  if (config.write === true) return undefined
  if (request.method === 'POST' && (config as FormRouteConfig).form === true) return undefined
  if (!(SERVED_METHODS as readonly string[]).includes(request.method)) {
    const path = request.url.split('?')[0] ?? '/'
    if (!app.findRoute({ method: 'GET', url: path })) return noSuchRoute(request)
    const allow = [
      ...SERVED_METHODS.slice(0, 2),
      ...ROUTED_METHODS.filter((method) => app.findRoute({ method, url: path })),
      'OPTIONS',
    ].join(', ')
    return new HttpProblem('method-not-allowed', `${request.method} is not served here; this URL serves ${allow}.`, {}, { allow })
  }
  if (hasContent(request.headers)) {
    return new HttpProblem('content-too-large', `A ${request.method} request must have no content; this API takes none.`)
  }
  return undefined
}

/**
 * Refuses, before anything is parsed, what the API does not serve: an HTTP/1.1 request without Host
 * (400), URLs too long (414), methods other than GET, HEAD and OPTIONS (405 with Allow on an existing
 * route, else 404) and request content (413), except on the routes that take them (writes, and the
 * OAI-PMH form).
 * After the security and CORS headers, so that a page on another origin can read why it was refused.
 */
export const requestLimitsPlugin = fp(
  async (app) => {
    // A callback hook rather than an async one: this runs on every request, and a promise per hook costs.
    app.addHook('onRequest', (request, _reply, done) => done(refusal(app, request)))
  },
  {
    name: 'citeserve-request-limits',
    fastify: '5.x',
    dependencies: ['citeserve-problems', 'citeserve-security-headers', 'citeserve-cross-origin'],
  },
)
