import type { HttpProblem } from '../http/problem.js'
import { html } from './html.js'
import { layout } from './layout.js'

/** What a browser is shown instead of a problem+json document: the same status, title and detail. */
export function errorPage(problem: HttpProblem): string {
  const { title, status, detail, errors } = problem.body('')
  return layout({
    lang: 'en',
    title: `${title} · citeserve`,
    main: html`<h1>${title}</h1>
      <p class="problem-detail">${detail}</p>
      ${
        errors && errors.length > 0
          ? html`<ul class="problem-errors">
              ${errors.map((error) => html`<li><code>${error.name}</code>: ${error.detail}</li>`)}
            </ul>`
          : ''
      }
      <p>Status ${status}. <a href="/">Browse the catalogue</a>.</p>`,
  })
}
