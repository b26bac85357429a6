import type { CslLibrary, CslLocale } from '../formats/csl/library.js'
import type { CslServices } from '../formats/csl/services.js'

// Deliberately light (types and the library only): the start compiles the default style before it
// loads the app and the formats (see src/server.ts).

export const DEFAULT_STYLE = 'apa'
export const DEFAULT_LOCALE = 'en-US'

/** A style's own default locale when it is installed, else en-US: not the client's mistake. */
export function defaultLocale(library: CslLibrary, styleDefault: string | undefined): CslLocale {
  try {
    return library.resolveLocale(styleDefault ?? DEFAULT_LOCALE)
  } catch {
    return library.resolveLocale(DEFAULT_LOCALE)
  }
}

/**
 * Has a render worker compile the default style's engine (the slowest step of a start, seconds on a
 * busy machine) at once: the warm-up's first bibliography then queues behind the compile rather than
 * starting it.
 */
export function compileDefaultStyle(csl: CslServices): Promise<void> {
  const style = csl.library.resolveStyle(DEFAULT_STYLE)
  return csl.renderer.compile({ style, locale: defaultLocale(csl.library, style.defaultLocale), output: 'text' })
}
