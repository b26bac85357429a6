import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { CslLibrary } from '../formats/csl/library.js'
import { listingQuery, localeListEnvelope, problemResponses, styleListEnvelope } from './schemas.js'

export interface StylesRoutesOptions {
  readonly library: CslLibrary
}

/** The CSL styles and locales citations can be asked for. */
export const stylesRoutes: FastifyPluginAsyncZod<StylesRoutesOptions> = async (app, { library }) => {
  app.get(
    '/styles',
    {
      schema: {
        tags: ['styles'],
        summary: 'The CSL styles available, with title and citation format',
        querystring: listingQuery,
        response: { 200: styleListEnvelope, 400: problemResponses[400] },
      },
    },
    async (request) => {
      const { query, rows, offset } = request.query
      const matching = (await library.styleSearch()).search(query ?? '')
      const items = matching.slice(offset, offset + rows).map((style) => ({ ...style, aliases: [...style.aliases] }))
      return {
        status: 'ok' as const,
        'message-type': 'style-list' as const,
        'message-version': '1.0.0' as const,
        message: { 'total-results': matching.length, items },
      }
    },
  )

  app.get(
    '/locales',
    {
      schema: {
        tags: ['styles'],
        summary: 'The CSL locales available',
        querystring: listingQuery,
        response: { 200: localeListEnvelope, 400: problemResponses[400] },
      },
    },
    async (request) => {
      const { query, rows, offset } = request.query
      const matching = library.localeIds.filter((id) => query === undefined || id.toLowerCase().includes(query.trim().toLowerCase()))
      return {
        status: 'ok' as const,
        'message-type': 'locale-list' as const,
        'message-version': '1.0.0' as const,
        message: { 'total-results': matching.length, items: matching.slice(offset, offset + rows) },
      }
    },
  )
}
