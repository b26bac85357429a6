import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { tokenize } from '../catalogue/search-index.js'
import type { CslLibrary, StyleSummary } from '../formats/csl/library.js'
import { listingQuery, localeListEnvelope, problemResponses, styleListEnvelope } from './schemas.js'

export interface StylesRoutesOptions {
  readonly library: CslLibrary
}

function matchesAll(words: readonly string[], text: string): boolean {
  const tokens = tokenize(text)
  return words.every((word) => tokens.some((token) => token.startsWith(word)))
}

/** Where a style ranks for a query: its id or an alias exactly, then ids starting with it, then the rest. */
function rank(style: StyleSummary, query: string): number {
  if (style.id === query || style.aliases.includes(query)) return 0
  return style.id.startsWith(query) ? 1 : 2
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
      const words = tokenize(query ?? '')
      const wanted = (query ?? '').trim().toLowerCase()
      const matching = (await library.styleSummaries())
        .filter((style) => matchesAll(words, `${style.id} ${style.aliases.join(' ')} ${style.title}`))
        .map((style) => ({ style, rank: rank(style, wanted) }))
        // Array.prototype.sort is stable: within a rank, shorter ids (the general style before its variants) first.
        .sort((a, b) => a.rank - b.rank || (a.rank === 1 ? a.style.id.length - b.style.id.length : 0))
        .map(({ style }) => ({ ...style, aliases: [...style.aliases] }))
      return {
        status: 'ok' as const,
        'message-type': 'style-list' as const,
        'message-version': '1.0.0' as const,
        message: { 'total-results': matching.length, items: matching.slice(offset, offset + rows) },
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
