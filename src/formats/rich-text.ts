import escapeHtml from 'escape-html'
import type { CslItem } from '../catalogue/schema.js'

// CSL-JSON text values may carry citeproc-js's inline markup: <i>, <b>, <sup>, <sub>, <sc>,
// <span class="nocase"> and small-caps spans. Plain-text outputs drop the tags; HTML pages turn them
// into formatting. A tag without its partner is not markup but text, and stays text.

const RICH_TAG = /<(\/?)(i|b|sup|sub|sc)>|<span (?:class="nocase"|style="font-variant:\s*small-caps;?")>|<\/span>/g

type Kind = 'i' | 'b' | 'sup' | 'sub' | 'sc' | 'nocase' | 'small-caps'

type Piece = { readonly text: string } | { readonly open: Kind } | { readonly close: Kind }

function kindOfSpan(tag: string): Kind {
  return tag.includes('nocase') ? 'nocase' : 'small-caps'
}

interface Tag {
  readonly tag: string
  /** What the tag opens; undefined for a closing tag. */
  readonly opens: Kind | undefined
}

function tokens(value: string): Array<Tag | { readonly text: string }> {
  const found: Array<Tag | { readonly text: string }> = []
  let last = 0
  for (const match of value.matchAll(RICH_TAG)) {
    const [tag, slash, name] = match
    if (match.index > last) found.push({ text: value.slice(last, match.index) })
    const opens = slash || tag === '</span>' ? undefined : ((name as Kind | undefined) ?? kindOfSpan(tag))
    found.push({ tag, opens })
    last = match.index + tag.length
  }
  if (last < value.length) found.push({ text: value.slice(last) })
  return found
}

/** The value as text and balanced tags; a tag without its partner is left in as text. */
function pieces(value: string): Piece[] {
  const found = tokens(value)
  // Each closing tag closes the innermost open tag, if it is of its kind (any </span> closes a span).
  const partner = new Map<number, number>()
  const open: number[] = []
  found.forEach((token, index) => {
    if ('text' in token) return
    if (token.opens !== undefined) {
      open.push(index)
      return
    }
    const top = open.at(-1)
    const opener = top === undefined ? undefined : (found[top] as Tag)
    if (top === undefined || opener === undefined) return
    const fits = token.tag === '</span>' ? opener.tag.startsWith('<span') : token.tag === `</${opener.tag.slice(1)}`
    if (!fits) return
    open.pop()
    partner.set(top, index).set(index, top)
  })
  return found.map((token, index): Piece => {
    if ('text' in token) return token
    const other = partner.get(index)
    if (other === undefined) return { text: token.tag }
    return token.opens !== undefined ? { open: token.opens } : { close: (found[other] as Tag).opens as Kind }
  })
}

/** The value without its rich-text markup, as meta tags, RIS, EndNote and page titles want it. */
export function plainText(value: string): string {
  return pieces(value)
    .map((piece) => ('text' in piece ? piece.text : ''))
    .join('')
}

const HTML_OPEN: Readonly<Record<Kind, string>> = {
  i: '<i>',
  b: '<b>',
  sup: '<sup>',
  sub: '<sub>',
  sc: '<span class="small-caps">',
  'small-caps': '<span class="small-caps">',
  nocase: '<span>',
}
const HTML_CLOSE: Readonly<Record<Kind, string>> = {
  i: '</i>',
  b: '</b>',
  sup: '</sup>',
  sub: '</sub>',
  sc: '</span>',
  'small-caps': '</span>',
  nocase: '</span>',
}

/** The value as HTML: its balanced rich-text tags as formatting, every other character escaped. */
export function richTextHtml(value: string): string {
  return pieces(value)
    .map((piece) => ('text' in piece ? escapeHtml(piece.text) : 'open' in piece ? HTML_OPEN[piece.open] : HTML_CLOSE[piece.close]))
    .join('')
}

// The CSL variables whose values are titles, where records carry rich text.
const TITLE_VARIABLES = [
  'title',
  'title-short',
  'container-title',
  'container-title-short',
  'collection-title',
  'original-title',
  'reviewed-title',
  'event-title',
  'volume-title',
  'part-title',
] as const

/** The item with its titles as plain text, for formats that have no markup of their own. */
export function withPlainTitles(item: CslItem): CslItem {
  const plain: CslItem = { ...item }
  for (const variable of TITLE_VARIABLES) {
    const value = (item as Record<string, unknown>)[variable]
    if (typeof value === 'string') (plain as Record<string, unknown>)[variable] = plainText(value)
  }
  return plain
}
