import rateLimit from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { HttpProblem } from '../http/problem.js'
import { bearerToken, type WriteTokens } from '../http/write-tokens.js'
import { problemTypeSent } from './problems.js'

/** What a write did to one work, as its log line says. */
export interface WrittenWork {
  readonly id: string
  /** `created`, `replaced`, `unchanged` or `deleted`; for a refused write, the problem's kind. */
  readonly outcome: string
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The name of the token a write was authenticated with; null on every other request. */
    writer: string | null
    /** The ids of the works a write names, once the route knows them: for its log line. */
    writeTargets: readonly string[] | null
    /** What a successful write did, set by the route: for its log line. */
    written: readonly WrittenWork[] | null
  }
}

export interface WriteAuthOptions {
  readonly tokens: WriteTokens
  /** `['*']`, the origins whose pages may write, or none. */
  readonly origins: readonly string[]
  /** Failed authentications a client may make per window before its writes are refused. */
  readonly failures: number
  readonly windowSeconds: number
}

const REALM = 'Bearer realm="citeserve"'

/** A route's hooks of one kind as a list, whichever way the route gave them. */
const hooksOf = <Hook>(hooks: Hook | Hook[] | undefined): Hook[] => (hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks])

const disabled = () =>
  new HttpProblem(
    'writes-disabled',
    'Writes are off: no write tokens are configured. To turn them on, set WRITE_TOKENS_FILE to a file of "name sha256-hex" lines and restart (see docs/writing.md).',
  )

function pathId(request: FastifyRequest): string[] {
  const { params } = request
  return typeof params === 'object' && params !== null && 'id' in params && typeof params.id === 'string' ? [params.id] : []
}

/** What the write's log line says it did to each work: the route's account, or the refusal. */
function writtenWorks(request: FastifyRequest, reply: FastifyReply): readonly WrittenWork[] {
  if (request.written !== null && reply.statusCode < 400) return request.written
  const outcome = problemTypeSent(reply)?.replace('/problems/', '') ?? `status ${reply.statusCode}`
  return (request.writeTargets ?? pathId(request)).map((id) => ({ id, outcome }))
}

/**
 * Authenticates every request to a route marked `write`: `Authorization: Bearer <token>`, where the
 * token's SHA-256 is one of the configured ones (401 with WWW-Authenticate otherwise). With no tokens
 * configured every write is refused (403) saying how to turn writes on; a page of an origin not allowed
 * to write is refused (403); a client that failed too often in the window is refused (429) whatever
 * token it sends, so that guessing stays as slow as the limit. Every write gets one log line with the
 * token's name, the method, the works and the outcomes; the token itself is never logged.
 */
export const writeAuthPlugin = fp<WriteAuthOptions>(
  async (app, { tokens, origins, failures: maxFailures, windowSeconds }) => {
    app.decorateRequest('writer', null)
    app.decorateRequest('writeTargets', null)
    app.decorateRequest('written', null)
    // Only a limiter is made here, counting failures alone; the general rate limit, when on, has already registered the plugin.
    if (!app.hasDecorator('createRateLimit')) await app.register(rateLimit, { global: false })
    const failures = app.createRateLimit({ max: maxFailures, timeWindow: windowSeconds * 1000 })
    const anyOrigin = origins[0] === '*'

    const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (!tokens.enabled) throw disabled()
      const origin = request.headers.origin
      if (origin !== undefined && !anyOrigin && !origins.includes(origin)) {
        throw new HttpProblem('origin-not-allowed', `Pages of ${origin} may not write; WRITE_CORS_ORIGINS names the origins that may.`)
      }
      const before = await failures(request, { increment: false })
      if (!before.isAllowed && before.remaining === 0) {
        const seconds = Math.max(1, before.ttlInSeconds)
        throw new HttpProblem(
          'too-many-requests',
          `Too many failed authentications from this client: writes are refused for ${seconds} s (see Retry-After).`,
          {},
          { 'retry-after': String(seconds) },
        )
      }
      const token = bearerToken(request.headers.authorization)
      const name = token === undefined ? undefined : tokens.nameOf(token)
      if (name === undefined) {
        await failures(request)
        throw token === undefined
          ? new HttpProblem(
              'unauthorized',
              'A write needs an Authorization: Bearer header with a write token.',
              {},
              { 'www-authenticate': REALM },
            )
          : new HttpProblem(
              'unauthorized',
              'The bearer token is not a write token.',
              {},
              { 'www-authenticate': `${REALM}, error="invalid_token"` },
            )
      }
      request.writer = name
      reply.header('cache-control', 'no-store')
    }

    const logWrite = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      const line = { tokenName: request.writer, method: request.method, status: reply.statusCode, works: writtenWorks(request, reply) }
      reply.log.info(line, 'write')
      done()
    }

    // Every route marked `write` gets these hooks, and no other route: reads pay nothing for them.
    app.addHook('onRoute', (route) => {
      if (route.config?.write !== true) return
      route.onRequest = [...hooksOf(route.onRequest), authenticate]
      route.onResponse = [...hooksOf(route.onResponse), logWrite]
    })
  },
  {
    name: 'citeserve-write-auth',
    fastify: '5.x',
    // After the limits, which let only write routes take content and these methods; after the general rate limit, whose plugin this reuses.
    dependencies: ['citeserve-problems', 'citeserve-request-limits', 'citeserve-rate-limit'],
  },
)
