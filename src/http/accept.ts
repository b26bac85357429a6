// Accept header parsing (RFC 9110 §12.5.1) that keeps media-type parameters: doi.org-style requests
// carry the citation style in them (`text/x-bibliography; style=apa; locale=de-DE`), which
// `negotiator` drops.
import { HttpProblem } from './problem.js'

/** The longest Accept header read: room for dozens of media ranges, and a bound on the work per request. */
export const MAX_ACCEPT_LENGTH = 2048

export interface MediaRange {
  readonly type: string
  readonly subtype: string
  /** Parameters other than q, names lower-cased, values unquoted. */
  readonly params: Readonly<Record<string, string>>
  readonly q: number
  /** Position in the header, to break ties in the client's favour. */
  readonly index: number
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+"
const RANGE = new RegExp(`^(${TOKEN})/(${TOKEN})$`)
const PARAMETER = new RegExp(`^(${TOKEN})=(?:(${TOKEN})|"((?:[^"\\\\]|\\\\.)*)")$`)
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/** Splits on a delimiter outside quoted strings. */
function splitOutsideQuotes(text: string, delimiter: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const character = text[i] as string
    if (quoted && character === '\\') {
      current += character + (text[i + 1] ?? '')
      i++
      continue
    }
    if (character === '"') quoted = !quoted
    if (character === delimiter && !quoted) {
      parts.push(current)
      current = ''
    } else current += character
  }
  parts.push(current)
  return parts
}

function parseRange(text: string, index: number): MediaRange | undefined {
  const [range, ...parameters] = splitOutsideQuotes(text, ';').map((part) => part.trim())
  const match = RANGE.exec(range ?? '')
  if (!match) return undefined
  const params: Record<string, string> = {}
  let q = 1
  for (const parameter of parameters) {
    if (parameter === '') continue
    const parsed = PARAMETER.exec(parameter)
    if (!parsed) return undefined
    const name = (parsed[1] as string).toLowerCase()
    const value = parsed[2] ?? (parsed[3] as string).replace(/\\(.)/g, '$1')
    if (name === 'q') {
      if (!QVALUE.test(value)) return undefined
      q = Number(value)
    } else params[name] = value
  }
  const type = (match[1] as string).toLowerCase()
  const subtype = (match[2] as string).toLowerCase()
  if (type === '*' && subtype !== '*') return undefined
  return { type, subtype, params, q, index }
}

/** The well-formed media ranges of an Accept header; malformed ones are left out. */
export function parseAccept(header: string): MediaRange[] {
  return splitOutsideQuotes(header, ',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .flatMap((part, index) => parseRange(part, index) ?? [])
}

/**
 * The media ranges of a request's Accept header; no header, or an empty one, accepts anything.
 * @throws HttpProblem (431) for a header longer than MAX_ACCEPT_LENGTH
 */
export function acceptedRanges(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return parseAccept('*/*')
  if (header.length > MAX_ACCEPT_LENGTH) {
    throw new HttpProblem(
      'header-fields-too-large',
      `header Accept has ${header.length} characters; at most ${MAX_ACCEPT_LENGTH} are read.`,
    )
  }
  return parseAccept(header)
}

function specificity(range: MediaRange, mediaType: string): number {
  const [type, subtype] = mediaType.split('/')
  if (range.type === type && range.subtype === subtype) return 2
  if (range.type === type && range.subtype === '*') return 1
  if (range.type === '*') return 0
  return -1
}

export interface Negotiated<T> {
  readonly offer: T
  /** The range that accepted the offer, with its parameters. */
  readonly range: MediaRange
}

/**
 * Picks the offer the client prefers: for each offer the most specific matching range decides its q;
 * the highest q wins, then the more specific match, then the range the client listed first, then the
 * server's order. Offers with q=0 are refused. Returns undefined when nothing is acceptable.
 */
export function negotiate<T>(
  ranges: readonly MediaRange[],
  offers: readonly T[],
  mediaTypesOf: (offer: T) => readonly string[],
): Negotiated<T> | undefined {
  let best: { offer: T; range: MediaRange; specificity: number } | undefined
  for (const offer of offers) {
    for (const mediaType of mediaTypesOf(offer)) {
      let match: { range: MediaRange; specificity: number } | undefined
      for (const range of ranges) {
        const rank = specificity(range, mediaType)
        if (rank > (match?.specificity ?? -1)) match = { range, specificity: rank }
      }
      if (!match || match.range.q === 0) continue
      const better =
        !best ||
        match.range.q > best.range.q ||
        (match.range.q === best.range.q &&
          (match.specificity > best.specificity || (match.specificity === best.specificity && match.range.index < best.range.index)))
      if (better) best = { offer, range: match.range, specificity: match.specificity }
    }
  }
  return best && { offer: best.offer, range: best.range }
}
