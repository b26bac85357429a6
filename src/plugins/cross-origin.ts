import cors, { type FastifyCorsOptions } from '@fastify/cors'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ALLOW } from './limits.js'
import { RATE_LIMIT_HEADERS } from './rate-limit.js'

/**
 * Response headers a page on another origin may read, besides the CORS-safelisted ones; the rate
 * limit's only when there is one (without, they are never sent).
 */
function exposedHeaders(rateLimited: boolean): string[] {
  return ['ETag', 'Link', 'Content-Disposition', 'X-Request-Id', ...(rateLimited ? RATE_LIMIT_HEADERS : [])]
}

/** Request headers a page on another origin may send, besides the CORS-safelisted ones. */
const ALLOWED_HEADERS = ['Accept', 'If-None-Match', 'If-Modified-Since', 'X-Request-Id']
const WRITE_METHODS = ['PUT', 'DELETE', 'POST']

export interface CrossOriginOptions {
  /** `['*']`, or the origins whose pages may read responses. */
  readonly origins: readonly string[]
  /** `['*']`, or the origins whose pages may write; none when unset. */
  readonly writeOrigins?: readonly string[] | undefined
  /** Whether the rate limit's headers are sent, so pages may read them too. */
  readonly rateLimited: boolean
}

const originOption = (origins: readonly string[]) => (origins[0] === '*' ? '*' : [...origins])

/** Whether a request is a write, or the preflight of one. */
function isWrite(request: FastifyRequest): boolean {
  if (request.routeOptions.config.write === true) return true
  const requested = request.headers['access-control-request-method']
  return request.method === 'OPTIONS' && requested !== undefined && WRITE_METHODS.includes(requested.toUpperCase())
}

/**
 * CORS for GET and HEAD: any origin may read responses (`*`), or the listed ones only; preflights are
 * answered at once (and cached by browsers for a day), plain OPTIONS too. Writes and their preflights
 * get the write origins' own answer, and with none configured no page may write (the preflight names
 * GET and HEAD only). After the security headers, so that a preflight answered here carries them.
 */
export const crossOriginPlugin = fp<CrossOriginOptions>(
  async (app, { origins, writeOrigins, rateLimited }) => {
    app.addHook('onRequest', (request, reply, done) => {
      if (request.method === 'OPTIONS') reply.header('allow', ALLOW)
      done()
    })
    const reads: FastifyCorsOptions = {
      origin: originOption(origins),
      methods: ['GET', 'HEAD'],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: exposedHeaders(rateLimited),
      maxAge: 86_400,
      // An OPTIONS request without Origin (not a preflight) is answered 204 with Allow like any other,
      // rather than with the plugin's plain-text 400.
      strictPreflight: false,
    }
    if (writeOrigins === undefined || writeOrigins.length === 0) return void (await app.register(cors, reads))
    const writes: FastifyCorsOptions = {
      ...reads,
      origin: originOption(writeOrigins),
      methods: ['GET', 'HEAD', ...WRITE_METHODS],
      allowedHeaders: [...ALLOWED_HEADERS, 'Authorization', 'Content-Type', 'If-Match'],
      exposedHeaders: [...exposedHeaders(rateLimited), 'Location'],
    }
    await app.register(cors, { delegator: (request, callback) => callback(null, isWrite(request) ? writes : reads) })
  },
  { name: 'citeserve-cross-origin', fastify: '5.x', dependencies: ['citeserve-security-headers'] },
)
