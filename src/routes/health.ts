import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { LiveCatalogue } from '../catalogue/live-catalogue.js'

const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), works: z.number().int().optional() })

export interface HealthRoutesOptions {
  readonly catalogue: LiveCatalogue
  /** Whether the process should get traffic; false once shutdown has begun. */
  readonly isReady: () => boolean
}

/** Probes for container orchestrators; cheap, and left out of the request log. */
export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, { catalogue, isReady }) => {
  const config = { quietLog: true }
  app.get(
    '/health/live',
    { config, schema: { tags: ['health'], summary: 'The process is up', response: { 200: healthSchema } } },
    async () => ({
      status: 'ok' as const,
    }),
  )
  app.get(
    '/health/ready',
    {
      config,
      schema: {
        tags: ['health'],
        summary: 'The catalogue is loaded and the server accepts traffic',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) =>
      isReady()
        ? { status: 'ok' as const, works: catalogue.current.catalogue.size }
        : reply.code(503).send({ status: 'unavailable' as const }),
  )
}
