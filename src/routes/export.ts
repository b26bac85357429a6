import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CatalogueStore, StoredWork } from '../catalogue/store.js'
import { batchesOf, exportFile, ExportSlots, PieceTurns } from '../citations/export-file.js'
import { contentType, fileName, getFormat, type Format } from '../formats/registry.js'
import { isNotModified, partsTag } from '../http/conditional.js'
import { HttpProblem } from '../http/problem.js'
import { renderContext } from '../citations/render.js'
import { sendExport } from './rendered.js'
import type { CslServices } from '../formats/csl/services.js'
import { DEFAULT_EXPORT, exportQuery, formatContent, MAX_CSL_EXPORT, MAX_EXPORT, problemResponses } from './schemas.js'

export interface ExportRoutesOptions {
  readonly store: CatalogueStore
  readonly csl: CslServices
  /** Seconds the whole exchange may take, sending the file included (EXCHANGE_TIMEOUT). */
  readonly exchangeSeconds: number
  /** Exports sent at once (MAX_EXPORTS). */
  readonly maxExports: number
}

function requestedIds(ids: string | string[]): string[] {
  return [ids]
    .flat()
    .flatMap((list) => list.split(','))
    .map((id) => id.trim())
    .filter((id) => id !== '')
}

/** The most works a file of the format may have. */
const maxWorks = (format: Format) => (format.styled ? MAX_CSL_EXPORT : MAX_EXPORT)

/** The works named by `ids`, once each, in the order asked; 404 naming every id that matches nothing. */
async function worksByIds(store: CatalogueStore, ids: readonly string[], format: Format): Promise<StoredWork[]> {
  if (ids.length === 0) throw HttpProblem.invalidParameters([{ in: 'query', name: 'ids', detail: 'names no work' }])
  if (ids.length > maxWorks(format))
    throw HttpProblem.invalidParameters([
      { in: 'query', name: 'ids', detail: `names ${ids.length} works; at most ${maxWorks(format)} per ${format.name} file` },
    ])
  const found = await store.findMany(ids)
  const missing = ids.filter((_, index) => found[index] === undefined)
  if (missing.length > 0)
    throw new HttpProblem('not-found', `No work has the id or DOI ${missing.map((id) => JSON.stringify(id)).join(', ')}.`)
  return [...new Set(found as StoredWork[])]
}

/** A page of the works matching `query` (or of the whole catalogue), as large as the format allows. */
async function worksByQuery(
  store: CatalogueStore,
  format: Format,
  query: string | undefined,
  offset: number,
  rows: number | undefined,
): Promise<readonly StoredWork[]> {
  if (rows !== undefined && rows > maxWorks(format))
    throw HttpProblem.invalidParameters([{ in: 'query', name: 'rows', detail: `at most ${maxWorks(format)} for ${format.name}` }])
  const { works } = await store.list({ query: { text: query }, rows: rows ?? Math.min(DEFAULT_EXPORT, maxWorks(format)), offset })
  // An in-text citation of nothing has no printed form: saying so beats citeproc's placeholder.
  if (works.length === 0 && format.name === 'citation')
    throw new HttpProblem('not-found', 'No work matches the query, and an in-text citation needs at least one.')
  return works
}

/** Several works, or a query's results, or the whole catalogue, in one file. */
export const exportRoutes: FastifyPluginAsyncZod<ExportRoutesOptions> = async (app, { store, csl, exchangeSeconds, maxExports }) => {
  const turns = new PieceTurns()
  const slots = new ExportSlots(maxExports)
  app.get(
    '/citations',
    {
      // Fastify's answer timeout counts until the last byte is written, and would cut a file being
      // sent to a client that reads it at its own pace: the exchange's deadline bounds it instead.
      handlerTimeout: exchangeSeconds * 1000,
      schema: {
        tags: ['works'],
        summary: 'Several works in one citation file',
        description:
          'The works named by `ids`, or those matching `query`, or the whole catalogue (paged by `rows` and `offset`), ' +
          'in one file: BibTeX keys are unique in it, and a bibliography lists its entries in the style’s order. ' +
          'The file is sent as it is rendered (chunked), with a weak ETag of the request and the works in it.',
        querystring: exportQuery,
        response: {
          200: { description: 'The citation file', content: formatContent },
          304: z.null().describe('If-None-Match names the current ETag: the file has not changed, and is not rendered'),
          400: problemResponses[400],
          404: problemResponses[404],
        },
      },
    },
    async (request, reply) => {
      const { format: formatName, ids, query, rows, offset, ...requested } = request.query
      const format = getFormat(formatName)
      // A CSL job of a client that left, or whose answer timed out, is dropped from the render queue.
      const context = { ...renderContext(format, requested, 'query', csl), signal: request.signal }
      // The state before the works: a Last-Modified no later than the data the file is built from.
      reply.lastModified = (await store.state()).modified
      const works =
        ids === undefined ? await worksByQuery(store, format, query, offset, rows) : await worksByIds(store, requestedIds(ids), format)
      // The file is not known before it is sent, but what it is made of is: a weak tag of the request
      // and the works' versions changes with any of them, and a revalidation is answered without rendering.
      const tag = partsTag([request.url, ...works.map((work) => `${work.id}\u0000${work.version}`)])
      reply.header('etag', `W/${tag}`)
      if (isNotModified(request.headers, { etag: tag, lastModified: reply.lastModified })) return reply.code(304).send(null)
      const file = await slots.hold(() => exportFile(format, batchesOf(works), context, turns))
      return sendExport(reply, file, contentType(format, context.output), fileName(format, context.output, 'citations'))
    },
  )
}
