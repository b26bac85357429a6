import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Work } from '../catalogue/catalogue.js'
import type { CatalogueSnapshot, LiveCatalogue } from '../catalogue/live-catalogue.js'
import { getFormat } from '../formats/registry.js'
import { acceptedRanges, negotiate } from '../http/accept.js'
import { HttpProblem } from '../http/problem.js'
import { ASSETS, type Asset } from '../pages/assets.js'
import { cataloguePage } from '../pages/catalogue-page.js'
import { citeWork, type CitationSources } from '../pages/citation.js'
import { landingPagePath } from '../pages/citation-box.js'
import { errorPage } from '../pages/error-page.js'
import { widgetPage } from '../pages/widget-page.js'
import { workPage } from '../pages/work-page.js'
import { clientProblemOf, replyWithProblem } from '../plugins/problems.js'
import { sendPagePolicy } from '../plugins/security-headers.js'
import { DEFAULT_STYLE, findWork, renderContext, renderWork } from './citations.js'
import { nextCursor, pageStart } from './paging.js'
import { listQuery, MAX_OFFSET, problemResponses, workParams } from './schemas.js'

export const HTML = 'text/html'
const HTML_TYPE = 'text/html; charset=utf-8'

/** Style and locale of a page's citation box; empty values (an untouched form field) mean the default. */
export const pageQuery = z.object({
  style: z.string().max(200).optional().describe(`For text/html: the citation box's CSL style (default ${DEFAULT_STYLE})`),
  locale: z.string().max(50).optional().describe("For text/html: the citation box's locale (default: the style's own)"),
})

const WIDGET_ROUTE = '/works/:id/widget'

const htmlContent = (description: string) => ({ description, content: { [HTML]: { schema: z.string() } } })

/** Whether the client would rather read an error as a page than as problem+json: a browser. */
function prefersHtml(request: FastifyRequest): boolean {
  try {
    return negotiate(acceptedRanges(request.headers.accept), ['application/json', HTML], (type) => [type])?.offer === HTML
  } catch {
    return false
  }
}

/**
 * Errors of the pages: an HTML page with the problem's status for browsers, problem+json for the rest.
 * An error of the widget may be framed where the widget may, so that the host page shows why.
 */
function replyWithPageOrProblem(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  frameAncestors: readonly string[] = [],
): FastifyReply {
  const problem = clientProblemOf(error)
  if (!problem || !prefersHtml(request)) return replyWithProblem(error, request, reply)
  sendPagePolicy(reply, frameAncestors)
  return reply.code(problem.status).header('cache-control', 'no-store').type(HTML_TYPE).send(errorPage(problem))
}

interface PageOptions extends CitationSources {
  readonly catalogue: LiveCatalogue
}

const orDefault = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value)

async function citationView(
  work: Work,
  query: z.infer<typeof pageQuery>,
  action: string,
  snapshot: CatalogueSnapshot,
  sources: CitationSources,
) {
  const requested = { style: orDefault(query.style), locale: orDefault(query.locale) }
  const citation = await citeWork(work, requested, snapshot, sources)
  return {
    work,
    action,
    style: requested.style ?? DEFAULT_STYLE,
    locale: requested.locale ?? '',
    locales: sources.csl.library.localeIds,
    commonStyles: sources.csl.library.commonStyleNames,
    citation,
    // A page whose citation could not be rendered says why, with the status the API would give.
    status: citation.kind === 'invalid' ? (400 as const) : (200 as const),
  }
}

/**
 * `GET /works/{id}` when the client asks for text/html (a browser): a redirect to the landing page's
 * own URL, so that the address people copy from the browser answers HTML to every client.
 */
export function redirectToWorkPage(request: FastifyRequest, reply: FastifyReply, id: string, catalogue: LiveCatalogue): FastifyReply {
  try {
    const work = findWork(catalogue.current.catalogue, id)
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
    return reply.redirect(`${landingPagePath(work)}${query}`, 303)
  } catch (error) {
    return replyWithPageOrProblem(error as FastifyError, request, reply)
  }
}

/** The landing page: its citation in the style and locale of the query, from the render cache the API uses. */
async function replyWithWorkPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { id, query }: { id: string; query: z.infer<typeof pageQuery> },
  { catalogue, ...sources }: PageOptions,
): Promise<FastifyReply> {
  sendPagePolicy(reply, [])
  try {
    const snapshot = catalogue.current
    const work = findWork(snapshot.catalogue, id)
    const { status, ...view } = await citationView(work, query, landingPagePath(work), snapshot, sources)
    const pageUrl = `${request.protocol}://${request.host}${landingPagePath(work)}`
    const schemaOrg = getFormat('schema-org')
    const jsonLd = (await renderWork(schemaOrg, work, renderContext(schemaOrg, {}, 'query', sources.csl), snapshot, sources.renderCache))
      .body
    return reply
      .code(status)
      .type(HTML_TYPE)
      .send(workPage({ ...view, jsonLd, pageUrl }))
  } catch (error) {
    return replyWithPageOrProblem(error as FastifyError, request, reply)
  }
}

function sendAsset(reply: FastifyReply, asset: Asset): FastifyReply {
  return reply.type(asset.contentType).send(asset.body)
}

export interface PagesRoutesOptions extends PageOptions {
  /** Who may frame the widget: `*` or a list of origins. */
  readonly widgetOrigins: readonly string[]
}

/** The catalogue page, the landing pages, the widget and the pages' static files. */
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
        description: 'The parameters of GET /works; each work links to its landing page (GET /pages/works/{id}).',
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
    async (request, reply) =>
      replyWithWorkPage(request, reply, { id: request.params.id, query: request.query }, { catalogue: live, ...sources }),
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
      const { status, ...view } = await citationView(work, request.query, `/works/${encodeURIComponent(work.id)}/widget`, snapshot, sources)
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
