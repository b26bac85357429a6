// citeserve's "Cite this" widget for other sites:
//   <script src="https://citeserve.example/widget.js" defer></script>
//   <cite-this work="10.1234/abc.def" citation-style="apa" locale="en-GB"></cite-this>
// (citation-style, not style: that is every element's attribute for inline CSS.)
// The element holds, in its shadow root, an iframe of the service's /works/{id}/widget page. No
// record data ever enters the host page's DOM: the iframe is another origin's document, and the only
// message read from it is its height, and only from that iframe and the service's origin.
;(() => {
  'use strict'
  const script = document.currentScript
  if (!script || customElements.get('cite-this')) return
  const service = new URL(script.src).origin

  class CiteThis extends HTMLElement {
    static observedAttributes = ['work', 'citation-style', 'locale']

    constructor() {
      super()
      const root = this.attachShadow({ mode: 'closed' })
      // A constructed stylesheet, which a host page's Content-Security-Policy does not block.
      const sheet = new CSSStyleSheet()
      sheet.replaceSync(':host{display:block} iframe{display:block;width:100%;border:0;min-height:8rem}')
      root.adoptedStyleSheets = [sheet]
      this.frame = document.createElement('iframe')
      this.frame.title = 'Cite this work'
      this.frame.loading = 'lazy'
      this.frame.setAttribute('allow', 'clipboard-write')
      // Scripts for the style search, same-origin for its requests to the service (safe: the
      // frame's origin is the service, never the host's), downloads and the link to the full page.
      this.frame.setAttribute(
        'sandbox',
        'allow-scripts allow-same-origin allow-forms allow-downloads allow-popups allow-popups-to-escape-sandbox',
      )
      this.frame.referrerPolicy = 'no-referrer'
      root.append(this.frame)
      this.onMessage = (event) => {
        if (event.source !== this.frame.contentWindow || event.origin !== service) return
        const { type, height } = event.data ?? {}
        if (type === 'citeserve:height' && Number.isFinite(height) && height > 0 && height < 10000) {
          this.frame.style.height = `${Math.ceil(height)}px`
        }
      }
    }

    connectedCallback() {
      window.addEventListener('message', this.onMessage)
      this.load()
    }

    disconnectedCallback() {
      window.removeEventListener('message', this.onMessage)
    }

    attributeChangedCallback() {
      if (this.isConnected) this.load()
    }

    load() {
      const work = this.getAttribute('work')
      if (!work) return
      const url = new URL(`/works/${encodeURIComponent(work)}/widget`, service)
      const style = this.getAttribute('citation-style')
      const locale = this.getAttribute('locale')
      if (style) url.searchParams.set('style', style)
      if (locale) url.searchParams.set('locale', locale)
      if (this.frame.src !== url.href) this.frame.src = url.href
    }
  }

  customElements.define('cite-this', CiteThis)
})()
