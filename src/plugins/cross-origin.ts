import cors from '@fastify/cors'
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

export interface CrossOriginOptions {
  /** `['*']`, or the origins whose pages may read responses. */
  readonly origins: readonly string[]
  /** Whether the rate limit's headers are sent, so pages may read them too. */
  readonly rateLimited: boolean
}

/**
 * CORS for GET and HEAD: any origin may read responses (`*`), or the listed ones only; preflights are
 * answered at once (and cached by browsers for a day), plain OPTIONS too. After the security headers,
 * so that a preflight answered here carries them.
 */
export const crossOriginPlugin = fp<CrossOriginOptions>(
  async (app, { origins, rateLimited }) => {
    app.addHook('onRequest', (request, reply, done) => {
      if (request.method === 'OPTIONS') reply.header('allow', ALLOW)
      done()
    })
    await app.register(cors, {
      origin: origins[0] === '*' ? '*' : [...origins],
      methods: ['GET', 'HEAD'],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: exposedHeaders(rateLimited),
      maxAge: 86_400,
      // An OPTIONS request without Origin (not a preflight) is answered 204 with Allow like any other,
      // rather than with the plugin's plain-text 400.
      strictPreflight: false,
    })
  },
  { name: 'citeserve-cross-origin', fastify: '5.x', dependencies: ['citeserve-security-headers'] },
)
