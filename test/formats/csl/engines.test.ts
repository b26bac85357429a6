import { describe, expect, it } from 'vitest'
import { renderBibliography } from '../../../src/formats/bibliography.js'
import { EnginePool } from '../../../src/formats/csl/engines.js'
import { builtinCsl } from '../../fixtures/csl.js'
import { worksOf, richItem, seed } from '../../fixtures/works.js'

describe('EnginePool', () => {
  it('keeps at most its capacity of engines, evicting the least recently used', async () => {
    const { library } = builtinCsl
    const engines = new EnginePool(library, 2)
    const works = worksOf(seed)
    const render = (style: string, locale = 'en-US') =>
      renderBibliography(works, { style: library.resolveStyle(style), locale: library.resolveLocale(locale), output: 'text' }, engines)
    // Styles that compile in a moment: the engines are told apart by style and locale alike.
    render('vancouver')
    render('harvard')
    render('vancouver') // vancouver is now the most recently used
    expect(engines.stats).toEqual({ size: 2, capacity: 2, created: 2 })
    render('vancouver', 'de-DE')
    expect(engines.stats).toEqual({ size: 2, capacity: 2, created: 3 })
    render('vancouver') // still cached: harvard was evicted instead
    expect(engines.stats.created).toBe(3)
    render('harvard', 'de-DE')
    render('harvard')
    expect(engines.stats).toEqual({ size: 2, capacity: 2, created: 5 })
  })

  it('renders the same output from a reused engine, and does not let citeproc’s per-call list grow', async () => {
    const { library } = builtinCsl
    const engines = new EnginePool(library, 1)
    const context = { style: library.resolveStyle('apa'), locale: library.resolveLocale('en-US'), output: 'text' as const }
    const first = renderBibliography(worksOf(seed, richItem), context, engines)
    let lengthAfter = -1
    for (let i = 0; i < 50; i++) renderBibliography(worksOf(seed, richItem), context, engines)
    expect(renderBibliography(worksOf(seed, richItem), context, engines)).toBe(first)
    engines.withEngine(context, [], (engine) => {
      lengthAfter = engine.tmp.cite_locales.length
    })
    expect(lengthAfter).toBe(0)
  })
})
