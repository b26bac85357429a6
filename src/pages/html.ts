import escapeHtml from 'escape-html'

/** Markup that is safe to insert as it is: built by `html`, or trusted service output given to `trusted`. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

/** What a template may interpolate: text (escaped), markup, lists of either, or nothing. */
export type Interpolated = string | number | SafeHtml | false | null | undefined | readonly Interpolated[]

function render(value: Interpolated): string {
  if (value === false || value === null || value === undefined) return ''
  if (value instanceof SafeHtml) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/**
 * A tagged template that escapes every interpolated value unless it is SafeHtml, so record text can
 * only ever become text. Attribute values must be quoted in the template (`href="${url}"`).
 */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolated[]): SafeHtml {
  let text = strings[0] ?? ''
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '')
  })
  return new SafeHtml(text)
}

/** Markup the service itself produced with every record text escaped (citeproc's HTML output). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup)
}

/**
 * JSON inside <script type="application/ld+json">: `<` as \u003c so no text can close the element or
 * open a comment; U+2028 and U+2029 escaped too, for consumers that evaluate it as script. (A
 * library such as serialize-javascript would serialize the value again; this JSON is already made.)
 */
export function jsonInScript(json: string): SafeHtml {
  return new SafeHtml(
    json
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  )
}
