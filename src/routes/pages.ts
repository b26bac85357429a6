import type { FastifyError, FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { yearOf } from '../catalogue/query/facts.js'
import { MAX_FACET_VALUES } from '../catalogue/query/types.js'
import { HttpProblem } from '../http/problem.js'
import { ASSETS, type Asset } from '../pages/assets.js'
import { cataloguePage } from '../pages/catalogue-page.js'
import { widgetPage } from '../pages/widget-page.js'
import { sendPagePolicy } from '../plugins/security-headers.js'
import { citationView, HTML, HTML_TYPE, pageQuery, replyWithPageOrProblem, replyWithWorkPage, type PageOptions } from './page-replies.js'
import { listedQuery, listStart, listWorks } from './paging.js'
import { findWork } from './rendered.js'
import { listQuery, MAX_OFFSET, problemResponses, workParams } from './schemas.js'

const WIDGET_ROUTE = '/works/:id/widget'

const htmlContent = (description: string) => ({ description, content: { [HTML]: { schema: z.string() } } })

function sendAsset(reply: FastifyReply, asset: Asset): FastifyReply {
  return reply.type(asset.contentType).send(asset.body)
}

export interface PagesRoutesOptions extends PageOptions {
  /** Who may frame the widget: `*` or a list of origins. */
  readonly widgetOrigins: readonly string[]
}

/** The catalogue page, the landing pages, the widget and the pages' static files. */
export const pagesRoutes: FastifyPluginAsyncZod<PagesRoutesOptions> = async (app, { widgetOrigins, store, ...sources }) => {
  app.setErrorHandler((error: FastifyError, request, reply) =>
    replyWithPageOrProblem(error, request, reply, request.routeOptions.url === WIDGET_ROUTE ? widgetOrigins : []),
  )

  app.get(
    '/',
    {
      schema: {
        tags: ['pages'],
        summary: 'The catalogue as a web page, with search, type and year filters, sorting and paging',
        description: 'The parameters of GET /works; each work links to its landing page (GET /pages/works/{id}).',
        querystring: listQuery,
        response: { 200: htmlContent('The catalogue page'), 400: problemResponses[400] },
      },
    },
    async (request, reply) => {
      sendPagePolicy(reply, [])
      const { query, rows, filter, sort, order } = request.query
      const listed = listedQuery(request.query)
      const pageAt = listStart(request.query, listed)
      const { start, byCursor } = pageAt
      reply.lastModified = (await store.state()).modified
      const page = await listWorks(store, listed, rows, pageAt, [{ name: 'published', limit: MAX_FACET_VALUES }])
      // The filters as they were written, for the links to the neighbouring pages.
      const filters = new URL(request.url, 'http://localhost').searchParams.getAll('filter').filter((text) => text.trim() !== '')
      const link = (position: Record<string, string>) => {
        const parameters: [string, string][] = query === undefined ? [] : [['query', query]]
        for (const text of filters) parameters.push(['filter', text])
        if (sort !== undefined) parameters.push(['sort', sort])
        if (order !== undefined) parameters.push(['order', order])
        parameters.push(['rows', String(rows)], ...Object.entries(position))
        return new URLSearchParams(parameters).toString()
      }
      const following = start + page.works.length
      // Offsets as long as they reach (links people can read and share), cursors beyond.
      const cursor = page.next
      const next =
        cursor === undefined ? undefined : !byCursor && following <= MAX_OFFSET ? link({ offset: String(following) }) : link({ cursor })
      const previous = byCursor || start === 0 ? undefined : link({ offset: String(Math.max(0, start - rows)) })
      const year = (day: number | undefined) => (day === undefined ? undefined : String(yearOf(day)))
      const controls = {
        types: await store.types(),
        years: Object.keys(page.facets?.published?.values ?? {}).sort(),
        type: filter?.type?.[0],
        fromYear: year(filter?.fromPublished),
        untilYear: year(filter?.untilPublished),
        sort,
        order,
      }
      return reply.type(HTML_TYPE).send(cataloguePage({ query, controls, total: page.total, start, works: page.works, previous, next }))
    },
  )

  app.get(
    '/pages/works/:id',
    {
      schema: {
        tags: ['pages'],
        summary: 'The landing page of a work, whatever the Accept header',
        description:
          'The URL to give people, crawlers and reference managers (Zotero, Citoid): HTML with Highwire Press meta tags, ' +
          'schema.org JSON-LD and the citation box in `style` and `locale`. GET /works/{id} with text/html preferred redirects here.',
        params: workParams,
        querystring: pageQuery,
        response: {
          200: htmlContent('The landing page'),
          400: htmlContent('The landing page, saying why the style or locale is unknown'),
          404: problemResponses[404],
        },
      },
    },
    async (request, reply) => replyWithWorkPage(request, reply, { id: request.params.id, query: request.query }, { store, ...sources }),
  )

  app.get(
    WIDGET_ROUTE,
    {
      schema: {
        tags: ['pages'],
        summary: 'The embeddable "Cite this" box of a work',
        description:
          'A compact page with the citation box, the only response other sites may frame (Content-Security-Policy frame-ancestors, WIDGET_ORIGINS). ' +
          'It posts its height to the parent window. /widget.js embeds it as <cite-this work="…">.',
        params: workParams,
        querystring: pageQuery,
        response: {
          200: htmlContent('The widget'),
          400: htmlContent('The widget, saying why the style or locale is unknown'),
          404: problemResponses[404],
        },
      },
    },
    async (request, reply) => {
      const work = await findWork(store, request.params.id)
      reply.lastModified = work.modified
      const { status, ...view } = await citationView(work, request.query, `/works/${encodeURIComponent(work.id)}/widget`, sources)
      sendPagePolicy(reply, widgetOrigins)
      return reply.code(status).type(HTML_TYPE).send(widgetPage(view))
    },
  )

  app.get(
    '/assets/:version/:name',
    {
      schema: { hide: true, params: z.object({ version: z.string().max(100), name: z.string().max(100) }) },
      config: { cache: 'immutable' },
    },
    async (request, reply) => {
      const asset = ASSETS.get(request.params.name)
      if (!asset) throw new HttpProblem('not-found', `There is no asset "${request.params.name}".`)
      // A page cached from before a release asks for an older version: send it to the current one.
      if (asset.version !== request.params.version) {
        return reply.header('cache-control', 'no-store').redirect(`/assets/${asset.version}/${asset.name}`, 308)
      }
      return sendAsset(reply, asset)
    },
  )

  app.get(
    '/widget.js',
    {
      schema: {
        tags: ['pages'],
        summary: 'The script that defines <cite-this work="…" citation-style="…" locale="…">, for other sites to include',
        response: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } } },
      },
    },
    async (_request, reply) => sendAsset(reply, ASSETS.get('widget.js') as Asset),
  )
}
