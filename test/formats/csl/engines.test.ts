import { describe, expect, it } from 'vitest'
import { renderBibliography } from '../../../src/formats/bibliography.js'
import { openCslServices } from '../../../src/formats/csl/services.js'
import { catalogueOf, richItem, seed } from '../../fixtures/works.js'

describe('EnginePool', () => {
  it('keeps at most its capacity of engines, evicting the least recently used', async () => {
    const csl = await openCslServices({ styleDirectories: [], localeDirectories: [], engines: 2 })
    const works = catalogueOf(seed).works
    const render = (style: string, locale = 'en-US') =>
      renderBibliography(
        works,
        { style: csl.library.resolveStyle(style), locale: csl.library.resolveLocale(locale), output: 'text' },
        csl.engines,
      )
    render('apa')
    render('vancouver')
    render('apa') // apa is now the most recently used
    expect(csl.engines.stats).toEqual({ size: 2, capacity: 2, created: 2 })
    render('harvard')
    expect(csl.engines.stats).toEqual({ size: 2, capacity: 2, created: 3 })
    render('apa') // still cached: vancouver was evicted instead
    expect(csl.engines.stats.created).toBe(3)
    render('vancouver', 'de-DE')
    render('vancouver')
    expect(csl.engines.stats).toEqual({ size: 2, capacity: 2, created: 5 })
  })

  it('renders the same output from a reused engine, and does not let citeproc’s per-call list grow', async () => {
    const csl = await openCslServices({ styleDirectories: [], localeDirectories: [], engines: 1 })
    const context = { style: csl.library.resolveStyle('apa'), locale: csl.library.resolveLocale('en-US'), output: 'text' as const }
    const first = renderBibliography(catalogueOf(seed, richItem).works, context, csl.engines)
    let lengthAfter = -1
    for (let i = 0; i < 50; i++) renderBibliography(catalogueOf(seed, richItem).works, context, csl.engines)
    expect(renderBibliography(catalogueOf(seed, richItem).works, context, csl.engines)).toBe(first)
    csl.engines.withEngine(context, [], (engine) => {
      lengthAfter = engine.tmp.cite_locales.length
    })
    expect(lengthAfter).toBe(0)
  })
})
