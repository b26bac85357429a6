import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CatalogueStore } from '../catalogue/store.js'
import type { Readiness } from '../readiness.js'
import { operationalRouteConfig } from './operational.js'

const liveSchema = z.object({ status: z.literal('ok') })
const readySchema = z.object({ status: z.literal('ok'), works: z.number().int().describe('Works in the catalogue') })
const notReadySchema = z.object({
  status: z.literal('unavailable'),
  state: z
    .enum(['starting', 'draining', 'catalogue-unavailable'])
    .describe(
      'starting: the server is not serving yet; draining: it is shutting down; catalogue-unavailable: its database cannot be reached',
    ),
})

export interface HealthRoutesOptions {
  readonly store: CatalogueStore
  readonly readiness: Readiness
}

/** Probes for container orchestrators: cheap, unlogged, never rate limited. */
export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, { store, readiness }) => {
  app.get(
    '/health/live',
    {
      config: operationalRouteConfig,
      schema: { tags: ['operations'], summary: 'The process is up', response: { 200: liveSchema } },
    },
    async () => ({ status: 'ok' as const }),
  )
  app.get(
    '/health/ready',
    {
      config: operationalRouteConfig,
      schema: {
        tags: ['operations'],
        summary: 'The catalogue is loaded and the server accepts traffic',
        description:
          '503 while the server is starting or shutting down, or cannot reach the catalogue’s database: a load balancer should send it no requests then.',
        response: { 200: readySchema, 503: notReadySchema },
      },
    },
    async (_request, reply) => {
      const { state } = readiness
      if (state !== 'ready') return reply.code(503).send({ status: 'unavailable' as const, state })
      const health = await store.health()
      if (!health.ok) return reply.code(503).send({ status: 'unavailable' as const, state: 'catalogue-unavailable' as const })
      return { status: 'ok' as const, works: (await store.state()).works }
    },
  )
}
