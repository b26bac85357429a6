import fp from 'fastify-plugin'

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
      if (request.routeOptions.config.quietLog !== true) {
        const line = {
          method: request.method,
          url: request.originalUrl,
          route: request.routeOptions.url ?? null,
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
        }
        reply.log.info(line, 'request completed')
      }
      done()
    })
  },
  { name: 'citeserve-access-log', fastify: '5.x' },
)
