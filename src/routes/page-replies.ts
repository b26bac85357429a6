import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { CatalogueStore, StoredWork } from '../catalogue/store.js'
import { citeWork, type CitationSources } from '../citations/cite-work.js'
import { DEFAULT_STYLE } from '../citations/default-style.js'
import { renderContext, renderWork } from '../citations/render.js'
import { getFormat } from '../formats/registry.js'
import { acceptedRanges, negotiate } from '../http/accept.js'
import { landingPagePath } from '../pages/citation-box.js'
import { errorPage } from '../pages/error-page.js'
import { workPage } from '../pages/work-page.js'
import { clientProblemOf, replyWithProblem } from '../plugins/problems.js'
import { sendPagePolicy } from '../plugins/security-headers.js'
import { publicUrl } from './public-url.js'
import { findWork } from './rendered.js'

// What the landing page (GET /pages/works/{id}) and the other pages share.

export const HTML = 'text/html'
export const HTML_TYPE = 'text/html; charset=utf-8'

/** Style and locale of a page's citation box; empty values (an untouched form field) mean the default. */
export const pageQuery = z.object({
  style: z.string().max(200).optional().describe(`For text/html: the citation box's CSL style (default ${DEFAULT_STYLE})`),
  locale: z.string().max(50).optional().describe("For text/html: the citation box's locale (default: the style's own)"),
})

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
export function replyWithPageOrProblem(
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

export interface PageOptions extends CitationSources {
  readonly store: CatalogueStore
  /** PUBLIC_URL: the base of the page's absolute URL, as in the sitemaps and OAI-PMH. */
  readonly publicBase: string | undefined
}

const orDefault = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value)

export async function citationView(work: StoredWork, query: z.infer<typeof pageQuery>, action: string, sources: CitationSources) {
  const requested = { style: orDefault(query.style), locale: orDefault(query.locale) }
  const citation = await citeWork(work, requested, sources)
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
export async function redirectToWorkPage(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  store: CatalogueStore,
): Promise<FastifyReply> {
  try {
    const work = await findWork(store, id)
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
    return reply.redirect(`${landingPagePath(work)}${query}`, 303)
  } catch (error) {
    return replyWithPageOrProblem(error as FastifyError, request, reply)
  }
}

/** `GET /pages/works/{id}`: the landing page, its citation in the style and locale of the query, from the render cache the API uses. */
export async function replyWithWorkPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { id, query }: { id: string; query: z.infer<typeof pageQuery> },
  { store, publicBase, ...sources }: PageOptions,
): Promise<FastifyReply> {
  sendPagePolicy(reply, [])
  try {
    const work = await findWork(store, id)
    reply.lastModified = work.modified
    const { status, ...view } = await citationView(work, query, landingPagePath(work), sources)
    const pageUrl = `${publicUrl(publicBase, request)}${landingPagePath(work)}`
    const schemaOrg = getFormat('schema-org')
    const jsonLd = (await renderWork(schemaOrg, work, renderContext(schemaOrg, {}, 'query', sources.csl), sources.renderCache)).body
    return reply
      .code(status)
      .type(HTML_TYPE)
      .send(workPage({ ...view, jsonLd, pageUrl }))
  } catch (error) {
    return replyWithPageOrProblem(error as FastifyError, request, reply)
  }
}
