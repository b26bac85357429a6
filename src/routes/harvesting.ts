import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { CatalogueStore } from '../catalogue/store.js'
import type { Config } from '../config.js'
import { oaiRoutes } from './oai.js'
import { sitemapRoutes } from './sitemaps.js'

export interface HarvestingRoutesOptions {
  readonly store: CatalogueStore
  readonly config: Config
}

/** What harvesters and search engines collect the catalogue by: OAI-PMH, sitemaps and robots.txt. */
export const harvestingRoutes: FastifyPluginAsyncZod<HarvestingRoutesOptions> = async (app, options) => {
  await app.register(oaiRoutes, options)
  await app.register(sitemapRoutes, options)
}
