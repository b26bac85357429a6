import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { CatalogueStore, StoredWork } from '../catalogue/store.js'
import { getFormat } from '../formats/registry.js'
import { HttpProblem } from '../http/problem.js'
import { renderContext, renderWorks } from '../citations/render.js'
import { sendRendered } from './rendered.js'
import type { CslServices } from '../formats/csl/services.js'
import { exportQuery, formatContent, MAX_EXPORT, problemResponses } from './schemas.js'

export interface ExportRoutesOptions {
  readonly store: CatalogueStore
  readonly csl: CslServices
}

function requestedIds(ids: string | string[]): string[] {
  return [ids]
    .flat()
    .flatMap((list) => list.split(','))
    .map((id) => id.trim())
    .filter((id) => id !== '')
}

/** The works named by `ids`, once each, in the order asked; 404 naming every id that matches nothing. */
async function worksByIds(store: CatalogueStore, ids: readonly string[]): Promise<StoredWork[]> {
  if (ids.length > MAX_EXPORT)
    throw HttpProblem.invalidParameters([{ in: 'query', name: 'ids', detail: `names ${ids.length} works; at most ${MAX_EXPORT} per file` }])
  const found = await store.findMany(ids)
  const missing = ids.filter((_, index) => found[index] === undefined)
  if (missing.length > 0)
    throw new HttpProblem('not-found', `No work has the id or DOI ${missing.map((id) => JSON.stringify(id)).join(', ')}.`)
  return [...new Set(found as StoredWork[])]
}

/** Several works, or a query's results, or the whole catalogue, in one file. */
export const exportRoutes: FastifyPluginAsyncZod<ExportRoutesOptions> = async (app, { store, csl }) => {
  app.get(
    '/citations',
    {
      schema: {
        tags: ['works'],
        summary: 'Several works in one citation file',
        description:
          'The works named by `ids`, or those matching `query`, or the whole catalogue (paged by `rows` and `offset`), ' +
          'in one file: BibTeX keys are unique in it, and a bibliography lists its entries in the style’s order.',
        querystring: exportQuery,
        response: {
          200: { description: 'The citation file', content: formatContent },
          400: problemResponses[400],
          404: problemResponses[404],
        },
      },
    },
    async (request, reply) => {
      const { format: formatName, ids, query, rows, offset, ...requested } = request.query
      const format = getFormat(formatName)
      const context = renderContext(format, requested, 'query', csl)
      // The state before the works: a Last-Modified no later than the data the file is built from.
      reply.lastModified = (await store.state()).modified
      const works =
        ids === undefined ? (await store.list({ query: { text: query }, rows, offset })).works : await worksByIds(store, requestedIds(ids))
      const rendered = await renderWorks(format, works, context, 'citations')
      return sendRendered(reply, rendered, 'attachment')
    },
  )
}
