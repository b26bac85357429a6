import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { readFileSync } from 'node:fs'
import { sendDocumentHeaders } from './security-headers.js'

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes validate with, served at
 * /openapi.json, with interactive docs at /docs. Must be registered before the routes it describes.
 */
export const openApiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'citeserve',
          version,
          description:
            'Metadata and ready-to-use citations for the scholarly works of a self-hosted catalogue: ' +
            'Crossref-style JSON, and BibTeX, BibLaTeX, RIS, CSL-JSON and formatted bibliographies, by query parameter or by content negotiation as at doi.org.',
          license: { name: 'MIT', identifier: 'MIT' },
        },
        tags: [
          { name: 'works', description: 'The catalogue and its citations' },
          { name: 'operations', description: 'Health probes for orchestrators and metrics for Prometheus' },
          { name: 'pages', description: 'Web pages for people: the catalogue, landing pages and the embeddable widget' },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    })
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      // The docs page is an HTML document, with the headers of one (its scripts and styles are 'self').
      uiHooks: {
        onRequest: (_request, reply, done) => {
          sendDocumentHeaders(reply)
          done()
        },
      },
    })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'citeserve-openapi', fastify: '5.x', dependencies: ['citeserve-security-headers'] },
)
