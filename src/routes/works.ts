import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CatalogueStore, StoredWork } from '../catalogue/store.js'
import type { RenderCache } from '../citations/render-cache.js'
import { renderContext, renderWork, type Rendered } from '../citations/render.js'
import { FORMATS, getFormat, type Format } from '../formats/registry.js'
import { acceptedRanges, negotiate } from '../http/accept.js'
import { HttpProblem } from '../http/problem.js'
import { addVary } from '../http/vary.js'
import type { CslServices } from '../formats/csl/services.js'
import { listedQuery, listStart, listWorks } from './paging.js'
import { projectItem } from './work-list-params.js'
import { HTML, pageQuery, redirectToWorkPage } from './page-replies.js'
import { findWork, sendRendered } from './rendered.js'
import { workTag } from './work-tag.js'
import {
  citationQuery,
  commonResponses,
  formatContent,
  listQuery,
  problemResponses,
  workEnvelope,
  workListEnvelope,
  workParams,
} from './schemas.js'

const METADATA = 'application/json'
type Offer = typeof METADATA | typeof HTML | Format

/**
 * What `GET /works/{id}` can answer with, in the order it prefers when the client does not mind. The
 * landing page comes last, so that only a client naming text/html (a browser) gets it; a wildcard never does.
 */
const OFFERS: readonly Offer[] = [METADATA, ...FORMATS, HTML]
const mediaTypesOf = (offer: Offer) => (offer === METADATA || offer === HTML ? [offer] : offer.mediaTypes)
const AVAILABLE = OFFERS.flatMap(mediaTypesOf)

/**
 * Link header (RFC 8288) of a work: its canonical URL (by record id, however it was asked for), its
 * landing page and the URL of each citation format, so that clients can discover them.
 */
function workLinks(work: StoredWork): string {
  const path = `/works/${encodeURIComponent(work.id)}`
  const alternates = FORMATS.map((format) => `<${path}/citation?format=${format.name}>; rel="alternate"; type="${format.mediaTypes[0]}"`)
  return [`<${path}>; rel="canonical"`, `</pages${path}>; rel="alternate"; type="text/html"`, ...alternates].join(', ')
}

/**
 * A work's metadata, the Crossref-style envelope, tagged with the work's version (not a digest of the
 * body), so that the ETag a client reads is the one If-Match takes on a write.
 */
export function sendMetadata(reply: FastifyReply, work: StoredWork): FastifyReply {
  return reply
    .type('application/json; charset=utf-8')
    .header('etag', workTag(work))
    .send({ status: 'ok' as const, 'message-type': 'work' as const, 'message-version': '1.0.0' as const, message: work.item })
}

export interface WorksRoutesOptions {
  readonly store: CatalogueStore
  readonly csl: CslServices
  readonly renderCache: RenderCache<Rendered>
}

export const worksRoutes: FastifyPluginAsyncZod<WorksRoutesOptions> = async (app, { store, csl, renderCache }) => {
  app.get(
    '/works',
    {
      schema: {
        tags: ['works'],
        summary: 'List, search, filter, sort and facet the catalogue, as Crossref’s /works',
        querystring: listQuery,
        response: { 200: workListEnvelope, 400: problemResponses[400], ...commonResponses },
      },
    },
    async (request, reply) => {
      const { query, rows, select } = request.query
      const listed = listedQuery(request.query)
      const start = listStart(request.query, listed)
      // The state before the page: a Last-Modified no later than the data the page is built from.
      reply.lastModified = (await store.state()).modified
      const page = await listWorks(store, listed, rows, start, request.query.facet)
      const next = start.byCursor ? page.next : undefined
      return {
        status: 'ok' as const,
        'message-type': 'work-list' as const,
        'message-version': '1.0.0' as const,
        message: {
          'total-results': page.total,
          'items-per-page': rows,
          query: { 'start-index': start.start, 'search-terms': query ?? null },
          items: page.works.map((work, index) => projectItem(work.item, select, page.scores?.[index])),
          ...(page.facets === undefined ? {} : { facets: page.facets }),
          ...(next === undefined ? {} : { 'next-cursor': next }),
        },
      }
    },
  )

  app.get(
    '/works/:id',
    {
      schema: {
        tags: ['works'],
        summary: 'One work: metadata, or a citation chosen by the Accept header',
        description:
          'Without an Accept header, or with application/json or */*, the Crossref-style metadata envelope. ' +
          'With text/html preferred (a browser), a 303 redirect to the landing page, /pages/works/{id} (with `style` and `locale`). ' +
          'With a citation media type, that citation, as at doi.org: for example ' +
          '`Accept: text/x-bibliography; style=vancouver; locale=en-US`. q-values and lists are honoured. ' +
          `Available: ${AVAILABLE.join(', ')}.`,
        params: workParams,
        querystring: pageQuery,
        response: {
          200: {
            description: 'The metadata or the negotiated citation',
            content: {
              [METADATA]: { schema: workEnvelope },
              ...formatContent,
            },
          },
          303: z.null().describe('For text/html: no body; Location names the landing page, /pages/works/{id}'),
          ...problemResponses,
          ...commonResponses,
        },
      },
    },
    async (request, reply) => {
      addVary(reply, 'Accept')
      const accept = request.headers.accept
      const chosen = negotiate(acceptedRanges(accept), OFFERS, mediaTypesOf)
      if (chosen?.offer === HTML) return redirectToWorkPage(request, reply, request.params.id, store)
      const work = await findWork(store, request.params.id)
      reply.header('link', workLinks(work))
      reply.lastModified = work.modified
      if (!chosen) {
        throw new HttpProblem('not-acceptable', `Nothing in the Accept header (${JSON.stringify(accept)}) is available for this work.`, {
          available: AVAILABLE,
        })
      }
      if (chosen.offer === METADATA) return sendMetadata(reply, work)
      const { style, locale } = chosen.range.params
      const context = renderContext(chosen.offer, { style, locale }, 'header', csl)
      const rendered = await renderWork(chosen.offer, work, context, renderCache)
      return sendRendered(reply, rendered, 'inline')
    },
  )

  app.get(
    '/works/:id/citation',
    {
      schema: {
        tags: ['works'],
        summary: 'One work as a citation in a named format',
        params: workParams,
        querystring: citationQuery,
        response: {
          200: { description: 'The citation, as a file to save', content: formatContent },
          400: problemResponses[400],
          404: problemResponses[404],
          ...commonResponses,
        },
      },
    },
    async (request, reply) => {
      const work = await findWork(store, request.params.id)
      reply.lastModified = work.modified
      const { format: formatName, ...requested } = request.query
      const format = getFormat(formatName)
      const context = renderContext(format, requested, 'query', csl)
      const rendered = await renderWork(format, work, context, renderCache)
      return sendRendered(reply, rendered, 'attachment')
    },
  )
}
