import type { Work } from '../catalogue/catalogue.js'
import { resolveLocale, resolveStyle } from '../formats/csl-styles.js'
import { UnknownOptionError } from '../formats/errors.js'
import { fileName, type Format, type RenderOptions } from '../formats/registry.js'
import { HttpProblem, type InvalidParameter, type ParameterLocation } from '../http/problem.js'

export interface RequestedOptions {
  readonly style?: string | undefined
  readonly locale?: string | undefined
  readonly output?: 'text' | 'html' | undefined
}

/**
 * Resolves style and locale for a format, reporting every unknown one at once. Formats that ignore
 * them do not reject them either, as doi.org does not.
 */
export function renderOptions(
  format: Format,
  requested: RequestedOptions,
  location: ParameterLocation,
  defaults: { style: string; locale: string },
): RenderOptions {
  const errors: InvalidParameter[] = []
  const attempt = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve()
    } catch (error) {
      if (!(error instanceof UnknownOptionError)) throw error
      const name = location === 'header' ? 'Accept' : error.option
      const detail = location === 'header' ? `parameter "${error.option}": ${error.message}` : error.message
      errors.push({ in: location, name, detail, allowed: error.allowed })
      return undefined
    }
  }
  const style = format.styled ? attempt(() => resolveStyle(requested.style ?? defaults.style)) : resolveStyle(defaults.style)
  const locale = format.styled ? attempt(() => resolveLocale(requested.locale ?? defaults.locale)) : defaults.locale
  if (errors.length > 0 || style === undefined || locale === undefined) throw HttpProblem.invalidParameters(errors)
  return { style, locale, output: requested.output ?? 'text' }
}

export interface Rendered {
  readonly contentType: string
  readonly fileName: string
  readonly body: string
}

export function renderCitation(format: Format, works: readonly Work[], options: RenderOptions, baseName: string): Rendered {
  return {
    contentType: format.contentType(options),
    fileName: fileName(format, options, baseName),
    body: format.render(works, options),
  }
}
