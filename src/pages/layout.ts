import { assetUrl } from './assets.js'
import { html, type SafeHtml } from './html.js'

export interface PageParts {
  /** The document's language, a BCP 47 tag. */
  readonly lang: string
  readonly title: string
  /** Extra elements of the head: metadata for reference managers. */
  readonly head?: SafeHtml
  readonly main: SafeHtml
  /** The compact layout of the widget: no site header, no skip link. */
  readonly compact?: boolean
}

/**
 * The HTML document around every page: one stylesheet and one script, both from 'self' (the
 * Content-Security-Policy allows nothing inline), a skip link and landmarks, and an empty icon, so
 * that browsers do not ask for a /favicon.ico there is not.
 */
export function layout({ lang, title, head, main, compact = false }: PageParts): string {
  const document = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl('site.css')}">
<script src="${assetUrl('citation-box.js')}" defer></script>
${head}</head>
<body${compact ? html` class="widget"` : ''}>
${
  compact
    ? html`<main id="main">${main}</main>`
    : html`<a class="skip-link" href="#main">Skip to content</a>
        <header class="site">
          <p><a href="/">citeserve</a>: the catalogue</p>
        </header>
        <main id="main" tabindex="-1">${main}</main>
        <footer class="site">
          <p><a href="/docs">API documentation</a></p>
        </footer>`
}
</body>
</html>
`
  return document.text
}
