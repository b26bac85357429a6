import { citationBox, landingPagePath, type CitationBoxView } from './citation-box.js'
import { html } from './html.js'
import { layout } from './layout.js'

/** The embeddable widget: the citation box alone, on a page of its own that other sites frame. */
export function widgetPage(view: Omit<CitationBoxView, 'headingLevel'>): string {
  return layout({
    lang: 'en',
    title: `Cite: ${view.work.item.title ?? view.work.id}`,
    compact: true,
    main: html`${citationBox({ ...view, headingLevel: 1 })}
      <p class="widget-source"><a href="${landingPagePath(view.work)}" target="_blank" rel="noopener">The work at citeserve</a></p>`,
  })
}
