import { BUILTIN_LOCALES } from './citation-js.js'
import { UnknownOptionError } from './errors.js'

export interface CslStyle {
  /** The id clients ask for: the official CSL style id. */
  readonly id: string
  readonly title: string
  /** Other names clients use for it. */
  readonly aliases: readonly string[]
  /** The name citation-js registered its copy under. */
  readonly template: string
}

export const DEFAULT_STYLE = 'apa'
export const DEFAULT_LOCALE = 'en-US'

export const STYLES: readonly CslStyle[] = [
  { id: 'apa', title: 'American Psychological Association 7th edition', aliases: [], template: 'apa' },
  { id: 'vancouver', title: 'Vancouver', aliases: [], template: 'vancouver' },
  { id: 'harvard-cite-them-right', title: 'Cite Them Right (Harvard)', aliases: ['harvard', 'harvard1'], template: 'harvard1' },
]

const styleByName = new Map(STYLES.flatMap((style) => [style.id, ...style.aliases].map((name) => [name.toLowerCase(), style])))

/** Every name a style can be asked for by, for error messages and documentation. */
export const STYLE_NAMES: readonly string[] = STYLES.flatMap((style) => [style.id, ...style.aliases])

export function resolveStyle(name: string): CslStyle {
  const style = styleByName.get(name.trim().toLowerCase())
  if (!style) throw new UnknownOptionError('style', name, STYLE_NAMES)
  return style
}

export const LOCALES: readonly string[] = BUILTIN_LOCALES

/**
 * Matches a BCP 47 tag to an installed locale: exactly (any case, "_" or "-"), or a bare language
 * ("de") to the first locale of that language.
 */
export function resolveLocale(tag: string): string {
  const wanted = tag.trim().replace(/_/g, '-').toLowerCase()
  const locale =
    LOCALES.find((candidate) => candidate.toLowerCase() === wanted) ??
    (wanted.includes('-') ? undefined : LOCALES.find((candidate) => candidate.toLowerCase().startsWith(`${wanted}-`)))
  if (!locale) throw new UnknownOptionError('locale', tag, LOCALES)
  return locale
}
