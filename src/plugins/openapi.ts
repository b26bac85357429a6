import swagger, { type SwaggerTransform } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { readFileSync } from 'node:fs'
import { WRITE_SECURITY_SCHEME } from '../http/write-tokens.js'
import { sendDocumentHeaders } from './security-headers.js'

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

const DOCS = '/docs'
const DOCS_TITLE = 'citeserve API'
const STATIC = `${DOCS}/static`

/** swagger-ui's page (@fastify/swagger-ui's index-html.js), titled for citeserve, with a way on for a reader without JavaScript. */
const DOCS_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>${DOCS_TITLE}</title>
<link rel="stylesheet" type="text/css" href="${STATIC}/swagger-ui.css">
<link rel="stylesheet" type="text/css" href="${STATIC}/index.css">
<link rel="icon" type="image/png" href="${STATIC}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<noscript><p>This page needs JavaScript. The API is described by the OpenAPI document at <a href="/openapi.json">/openapi.json</a>.</p></noscript>
<div id="swagger-ui"></div>
<script src="${STATIC}/swagger-ui-bundle.js" charset="UTF-8"></script>
<script src="${STATIC}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
<script src="${STATIC}/swagger-initializer.js" charset="UTF-8"></script>
</body>
</html>
`

/**
 * swagger-ui started with the document's absolute path. @fastify/swagger-ui's own initializer resolves
 * it against the page's whole URL, query included, so /docs?x=/ would load the page itself as the
 * document; the page's other paths are absolute already.
 */
const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
    validatorUrl: null,
  })
}
`

/** What the docs' own routes answer in place of @fastify/swagger-ui's, by route. */
function docsReplacement(route: string | undefined, reply: FastifyReply): boolean {
  // swagger-ui's own page is an empty shell without JavaScript; this one says where the document is.
  if (route === DOCS || route === `${DOCS}/`) reply.type('text/html; charset=utf-8').send(DOCS_PAGE)
  else if (route === `${STATIC}/swagger-initializer.js`) reply.type('application/javascript; charset=utf-8').send(INITIALIZER)
  // Upstream redirects this to itself whenever the URL has a query: one hop to the page instead.
  else if (route === `${STATIC}/index.html`) reply.redirect(`${DOCS}/`)
  else return false
  return true
}

type Transform = typeof jsonSchemaTransform
type BodyContent = { readonly content: Readonly<Record<string, { readonly schema: unknown }>> }

const isBodyContent = (body: unknown): body is BodyContent =>
  typeof body === 'object' && body !== null && 'content' in body && typeof body.content === 'object' && body.content !== null

/**
 * The zod transform, also for a request body given per media type (`{ content: { type: { schema } } }`),
 * whose schemas it transforms one at a time as bodies: fastify-type-provider-zod transforms a body of
 * one schema only, as it does responses per media type.
 */
const transform: Transform = (document: Parameters<SwaggerTransform>[0] & Parameters<Transform>[0]) => {
  const { body, ...rest } = document.schema
  if (!isBodyContent(body)) return jsonSchemaTransform(document)
  const content = Object.fromEntries(
    Object.entries(body.content).map(([type, { schema }]) => [type, { schema: jsonSchemaTransform({ ...document, schema: { body: schema } }).schema.body }]),
  )
  const transformed = jsonSchemaTransform({ ...document, schema: rest })
  return { ...transformed, schema: { ...transformed.schema, body: { content } } }
}

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
            'Crossref-style JSON, and BibTeX, BibLaTeX, RIS, EndNote, CSL-JSON, schema.org JSON-LD, formatted bibliographies and in-text citations, ' +
            'DataCite XML and JSON, MODS, Dublin Core, Turtle and RDF/XML, by query parameter or by content negotiation as at doi.org; ' +
            'OAI-PMH 2.0 and sitemaps for harvesters.',
          license: { name: 'MIT', identifier: 'MIT' },
        },
        tags: [
          { name: 'works', description: 'The catalogue and its citations' },
          { name: 'operations', description: 'Health probes for orchestrators and metrics for Prometheus' },
          { name: 'pages', description: 'Web pages for people: the catalogue, landing pages and the embeddable widget' },
          { name: 'writes', description: 'Adding, replacing and deleting works, with a write token (when writes are on)' },
        ],
        components: {
          securitySchemes: {
            [WRITE_SECURITY_SCHEME]: {
              type: 'http',
              scheme: 'bearer',
              description: 'A write token: one whose SHA-256 is listed in WRITE_TOKENS_FILE (see docs/writing.md)',
            },
          },
        },
      },
      transform,
      transformObject: jsonSchemaTransformObject,
    })
    await app.register(swaggerUi, {
      routePrefix: DOCS,
      theme: { title: DOCS_TITLE },
      // The docs page is an HTML document, with the headers of one (its scripts and styles are 'self').
      uiHooks: {
        onRequest: (request, reply, done) => {
          sendDocumentHeaders(reply)
          if (!docsReplacement(request.routeOptions.url, reply)) done()
        },
      },
    })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'citeserve-openapi', fastify: '5.x', dependencies: ['citeserve-security-headers'] },
)
