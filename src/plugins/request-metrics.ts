import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { UNMATCHED_ROUTE, type Metrics } from '../metrics.js'

function observe(metrics: Metrics, request: FastifyRequest, reply: FastifyReply): void {
  metrics.observeRequest({
    // The route pattern, so ids in URLs never become label values.
    route: request.routeOptions.url ?? UNMATCHED_ROUTE,
    method: request.method,
    status: reply.statusCode,
    seconds: reply.elapsedTime / 1000,
  })
}

/** Counts and times every request the router dispatched (unknown routes included) once it is answered. */
export const requestMetricsPlugin = fp<{ readonly metrics: Metrics }>(
  async (app, { metrics }) => {
    app.addHook('onResponse', (request, reply, done) => {
      observe(metrics, request, reply)
      done()
    })
  },
  { name: 'citeserve-request-metrics', fastify: '5.x' },
)

/**
 * Fastify answers a request it cannot route at all (a malformed URL) through `frameworkErrors`,
 * without running hooks; its handler calls this so that such requests are counted too.
 */
export function observeWhenAnswered(metrics: Metrics, request: FastifyRequest, reply: FastifyReply): void {
  reply.raw.once('finish', () => observe(metrics, request, reply))
}
