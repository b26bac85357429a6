import fp from 'fastify-plugin'
import { UNMATCHED_ROUTE } from '../metrics.js'
import { problemTypeSent } from './problems.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Write no access log line for this route's requests (the health probes and the metrics scrapes). */
    readonly quietLog?: boolean
  }
}

/**
 * One log line per request, written when it is answered, in place of Fastify's two (the app turns
 * those off with `disableRequestLogging`). The line carries the request id as the logger's binding.
 */
export const accessLogPlugin = fp(
  async (app) => {
    // A callback hook rather than an async one: it runs on every request, and a promise per hook costs.
    app.addHook('onResponse', (request, reply, done) => {
      // One read of the route's options: Fastify builds them anew on each read.
      const { config, url } = request.routeOptions
      if (config.quietLog !== true) {
        // Who asked, and for an error its problem type; an unmatched route is named as in the metrics.
        const problem = reply.statusCode >= 400 ? problemTypeSent(reply) : undefined
        const line = {
          method: request.method,
          url: request.originalUrl,
          route: url ?? UNMATCHED_ROUTE,
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
          client: request.ip,
          userAgent: request.headers['user-agent'],
          ...(problem !== undefined ? { problem } : {}),
        }
        reply.log.info(line, 'request completed')
      }
      done()
    })
  },
  { name: 'citeserve-access-log', fastify: '5.x', dependencies: ['citeserve-problems'] },
)
