import type { StoredWork } from '../catalogue/store.js'
import type { CslServices } from '../formats/csl/services.js'
import { getFormat } from '../formats/registry.js'
import { HttpProblem, type InvalidParameter } from '../http/problem.js'
import type { RenderCache } from './render-cache.js'
import { DEFAULT_STYLE } from './default-style.js'
import { renderContext, renderWork, type Rendered } from './render.js'

/** What the citation box shows: the citation, or why the requested style or locale could not be used. */
export type CitationState =
  | { readonly kind: 'rendered'; readonly html: string; readonly style: string; readonly locale: string }
  | { readonly kind: 'invalid'; readonly errors: readonly InvalidParameter[] }

export interface CitationRequest {
  readonly style?: string | undefined
  readonly locale?: string | undefined
}

/** Everything a page needs to render citations from the API's own cache. */
export interface CitationSources {
  readonly csl: CslServices
  readonly renderCache: RenderCache<Rendered>
}

const BIBLIOGRAPHY = getFormat('bibliography')

/**
 * The bibliography entry in HTML, rendered and cached exactly as `GET /works/{id}/citation` does;
 * an unknown style or locale is reported with the closest ids, for the page to show.
 */
export async function citeWork(
  work: StoredWork,
  requested: CitationRequest,
  { csl, renderCache }: CitationSources,
): Promise<CitationState> {
  try {
    const context = renderContext(
      BIBLIOGRAPHY,
      { style: requested.style ?? DEFAULT_STYLE, locale: requested.locale, output: 'html' },
      'query',
      csl,
    )
    const rendered = await renderWork(BIBLIOGRAPHY, work, context, renderCache)
    return { kind: 'rendered', html: rendered.body, style: context.style.id, locale: context.locale.id }
  } catch (error) {
    if (error instanceof HttpProblem && error.kind === 'invalid-parameter')
      return { kind: 'invalid', errors: error.extensions.errors ?? [] }
    throw error
  }
}
