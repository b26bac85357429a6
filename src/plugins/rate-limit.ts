import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import { HttpProblem } from '../http/problem.js'

/** The headers of the IETF draft "RateLimit header fields for HTTP" (as @fastify/rate-limit names them). */
export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'] as const

export interface RateLimitOptions {
  /** Requests one client (by IP address) may make in a window; 0 turns rate limiting off. */
  readonly max: number
  readonly windowSeconds: number
}

/**
 * Limits each client to `max` requests a window, telling it where it stands in RateLimit headers and,
 * once over, answering 429 with Retry-After. Routes with `config: { rateLimit: false }` (the health
 * probes) are not counted. Must be registered before the routes it limits (it hooks into each route).
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app, { max, windowSeconds }) => {
    if (max === 0) return
    await app.register(rateLimit, {
      max,
      timeWindow: windowSeconds * 1000,
      enableDraftSpec: true,
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(
          'too-many-requests',
          `A client may make ${context.max} requests in ${windowSeconds} s; try again in ${Math.ceil(context.ttl / 1000)} s (see Retry-After).`,
        ),
    })
  },
  // After the limits: a request refused for what it is is not counted against its client.
  { name: 'citeserve-rate-limit', fastify: '5.x', dependencies: ['citeserve-problems', 'citeserve-request-limits'] },
)
