import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Metrics } from '../metrics.js'
import { operationalRouteConfig } from './operational.js'

export interface MetricsRoutesOptions {
  readonly metrics: Metrics
}

/** Prometheus scrapes this. */
export const metricsRoutes: FastifyPluginAsyncZod<MetricsRoutesOptions> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    {
      config: operationalRouteConfig,
      schema: {
        tags: ['operations'],
        summary: 'Metrics in the Prometheus text format',
        description:
          'Requests by route pattern, method and status with latency histograms, catalogue size and load time, ' +
          'render cache hits and misses, catalogue reloads, and the Node.js process metrics.',
        response: { 200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: z.string() } } } },
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await metrics.exposition()
      return reply.type(contentType).send(body)
    },
  )
}
