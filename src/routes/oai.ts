import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CatalogueStore } from '../catalogue/store.js'
import type { Config } from '../config.js'
import { answerOai, type Repository } from '../oai/repository.js'
import type { FormRouteConfig } from '../plugins/limits.js'
import { publicUrl } from './public-url.js'

export interface OaiRoutesOptions {
  readonly store: CatalogueStore
  readonly config: Config
}

const FORM = 'application/x-www-form-urlencoded'
const XML = 'text/xml; charset=utf-8'
// OAI-PMH requests are a handful of short arguments.
const MAX_FORM_BYTES = 8192
const FORM_ROUTE: FormRouteConfig = { form: true }

const description =
  'OAI-PMH 2.0: `verb` is Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers or ListRecords, ' +
  'with the arguments the protocol gives it (metadataPrefix oai_dc, mods or datacite; identifier; from; until; set; ' +
  'resumptionToken), in the query (GET) or as a form (POST). Protocol errors are answered in the XML, with status 200.'

/** The OAI-PMH endpoint: harvesters collect the catalogue from it, in pages, by resumption token. */
export const oaiRoutes: FastifyPluginAsyncZod<OaiRoutesOptions> = async (app, { store, config }) => {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_request, body, done) => done(null, body))
  app.route({
    method: ['GET', 'POST'],
    url: '/oai',
    config: FORM_ROUTE,
    schema: {
      tags: ['harvesting'],
      summary: 'OAI-PMH 2.0 repository',
      description,
      response: { 200: { description: 'The OAI-PMH response', content: { 'text/xml': { schema: z.string() } } } },
    },
    handler: async (request, reply) => {
      const query = request.method === 'POST' ? (typeof request.body === 'string' ? request.body : '') : (request.url.split('?')[1] ?? '')
      const base = publicUrl(config.PUBLIC_URL, request)
      const repository: Repository = {
        store,
        baseUrl: `${base}/oai`,
        repositoryId: new URL(base).hostname,
        repositoryName: 'citeserve',
        adminEmail: config.OAI_ADMIN_EMAIL,
      }
      return reply.type(XML).send(await answerOai(repository, [...new URLSearchParams(query)], new Date()))
    },
  })
}
