import type { FastifyError, FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { HttpProblem } from '../http/problem.js'
import { ASSETS, type Asset } from '../pages/assets.js'
import { cataloguePage } from '../pages/catalogue-page.js'
import { workPath } from '../pages/citation-box.js'
import { widgetPage } from '../pages/widget-page.js'
import { sendPagePolicy } from '../plugins/security-headers.js'
import { citationView, HTML, HTML_TYPE, pageQuery, replyWithPageOrProblem, type PageOptions } from './page-replies.js'
import { nextCursor, pageStart } from './paging.js'
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

/** The catalogue page, the widget and the pages' static files. (The landing page is `GET /works/{id}`.) */
export const pagesRoutes: FastifyPluginAsyncZod<PagesRoutesOptions> = async (app, { widgetOrigins, catalogue: live, ...sources }) => {
  app.setErrorHandler((error: FastifyError, request, reply) =>
    replyWithPageOrProblem(error, request, reply, request.routeOptions.url === WIDGET_ROUTE ? widgetOrigins : []),
  )

  app.get(
    '/',
    {
      schema: {
        tags: ['pages'],
        summary: 'The catalogue as a web page, with search and paging',
        description: 'The parameters of GET /works; each work links to its landing page (GET /works/{id} with Accept: text/html).',
        querystring: listQuery,
        response: { 200: htmlContent('The catalogue page'), 400: problemResponses[400] },
      },
    },
    async (request, reply) => {
      sendPagePolicy(reply, [])
      const { query, rows } = request.query
      const catalogue = live.current.catalogue
      const { start, byCursor } = pageStart(request.query, catalogue)
      const page = catalogue.page(query, start, rows)
      const link = (position: Record<string, string>) =>
        new URLSearchParams({ ...(query === undefined ? {} : { query }), rows: String(rows), ...position }).toString()
      const following = start + page.works.length
      // Offsets as long as they reach (links people can read and share), cursors beyond.
      const cursor = nextCursor(start, page.works.length, page.total, query, catalogue)
      const next =
        cursor === undefined ? undefined : !byCursor && following <= MAX_OFFSET ? link({ offset: String(following) }) : link({ cursor })
      const previous = byCursor || start === 0 ? undefined : link({ offset: String(Math.max(0, start - rows)) })
      return reply.type(HTML_TYPE).send(cataloguePage({ query, total: page.total, start, works: page.works, previous, next }))
    },
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
      const snapshot = live.current
      const work = findWork(snapshot.catalogue, request.params.id)
      const { status, ...view } = await citationView(work, request.query, `${workPath(work)}/widget`, snapshot, sources)
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
