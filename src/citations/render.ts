import type { Work } from '../catalogue/catalogue.js'
import type { StoredWork } from '../catalogue/store.js'
import type { CslServices } from '../formats/csl/services.js'
import { DEFAULT_STYLE, defaultLocale } from './default-style.js'
import type { RenderCache } from './render-cache.js'
import { UnknownOptionError } from '../formats/errors.js'
import { RenderQueueFullError } from '../formats/csl/render-pool.js'
import { contentType, fileName, type Format, type RenderContext } from '../formats/registry.js'
import { entityTag } from '../http/conditional.js'
import { HttpProblem, type InvalidParameter, type ParameterLocation } from '../http/problem.js'

export interface RequestedOptions {
  readonly style?: string | undefined
  readonly locale?: string | undefined
  readonly output?: 'text' | 'html' | undefined
}

/**
 * Resolves style and locale for a format, reporting every unknown one at once with the closest ids.
 * Without a locale, a style renders in its own default locale (or en-US). Formats that ignore style
 * and locale do not reject them either, as doi.org does not.
 */
export function renderContext(format: Format, requested: RequestedOptions, location: ParameterLocation, csl: CslServices): RenderContext {
  const errors: InvalidParameter[] = []
  const attempt = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve()
    } catch (error) {
      if (!(error instanceof UnknownOptionError)) throw error
      const name = location === 'header' ? 'Accept' : error.option
      const detail = `${location === 'header' ? `parameter "${error.option}": ` : ''}${error.message}`
      errors.push({ in: location, name, detail, allowed: error.closest })
      return undefined
    }
  }
  const wanted = format.styled ? requested : {}
  const style = attempt(() => csl.library.resolveStyle(wanted.style ?? DEFAULT_STYLE))
  const locale = attempt(() =>
    wanted.locale !== undefined ? csl.library.resolveLocale(wanted.locale) : defaultLocale(csl.library, style?.defaultLocale),
  )
  if (style === undefined || locale === undefined) throw HttpProblem.invalidParameters(errors)
  return { style, locale, output: requested.output ?? 'text', renderer: csl.renderer }
}

export interface Rendered {
  readonly contentType: string
  readonly fileName: string
  readonly body: string
  /** The body's entity tag, computed with it, so that serving a cached rendering does not digest it again. */
  readonly etag: string
}

/** A CSL rendering, with a full render queue answered as a 503 that says when to come back. */
export async function queuedRendering(text: string | Promise<string>): Promise<string> {
  try {
    return await text
  } catch (error) {
    if (!(error instanceof RenderQueueFullError)) throw error
    const detail = `The citation renderers are busy (${error.message}); try again in ${error.retryAfterSeconds} s.`
    throw new HttpProblem('service-busy', detail, {}, { 'retry-after': String(error.retryAfterSeconds) })
  }
}

async function renderWorks(format: Format, works: readonly Work[], context: RenderContext, baseName: string): Promise<Rendered> {
  const gaps = works.flatMap((work) => {
    const gap = format.gap?.(work)
    return gap === undefined ? [] : [`"${work.id}": ${gap}`]
  })
  if (gaps.length > 0) throw new HttpProblem('incomplete-record', `Not available as ${format.name}: ${gaps.join('; ')}.`)
  const type = contentType(format, context.output)
  const body = await queuedRendering(format.render(works, context))
  return { contentType: type, fileName: fileName(format, context.output, baseName), body, etag: entityTag(type, body) }
}

/**
 * One work in one format, rendered once per version of the work and then served from the cache (at
 * once, without a promise); concurrent requests for the same rendering share one.
 */
export function renderWork(
  format: Format,
  work: StoredWork,
  context: RenderContext,
  cache: RenderCache<Rendered>,
): Rendered | Promise<Rendered> {
  const key = { workId: work.id, version: work.version, format, context }
  return cache.getOrRender(key, () => renderWorks(format, [work], context, work.key))
}
