import { afterAll, describe, expect, it } from 'vitest'
import { renderBibliography, renderCitation } from '../../src/formats/bibliography.js'
import { DEBIAN_CSL_DIRECTORY } from '../../src/config.js'
import { EnginePool } from '../../src/formats/csl/engines.js'
import { openCslServices } from '../../src/formats/csl/services.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { worksOf, richItem, seed } from '../fixtures/works.js'

// Real renders in official styles and locales from Debian's citation-style-language packages.

describe('official CSL styles and locales', async () => {
  const csl = await openCslServices({
    styleDirectories: [`${DEBIAN_CSL_DIRECTORY}/styles`],
    localeDirectories: [`${DEBIAN_CSL_DIRECTORY}/locales`],
    engines: 16,
    workers: 1,
  })
  afterAll(() => csl.renderer.close())
  // The code a render worker runs, in this thread; the last test renders through a worker.
  const engines = new EnginePool(csl.library, 16)
  const rich: CslItem = { ...richItem, abstract: undefined }
  const render = (item: CslItem, style: string, locale = 'en-US') =>
    renderBibliography(
      worksOf(item),
      { style: csl.library.resolveStyle(style), locale: csl.library.resolveLocale(locale), output: 'text' },
      engines,
    ).trim()
  const cite = (item: CslItem, style: string) =>
    renderCitation(
      worksOf(item),
      { style: csl.library.resolveStyle(style), locale: csl.library.resolveLocale('en-US'), output: 'text' },
      engines,
    ).trim()

  it('finds the thousands of official styles and dozens of locales', () => {
    expect(csl.library.styleIds.length).toBeGreaterThan(2000)
    expect(csl.library.localeIds.length).toBeGreaterThan(40)
  })

  it.each([
    [
      'chicago-author-date',
      '“Interleukin-2 in Cancer.” 2005. Review, February, 273–85.',
      'Berg, Jan van der, Ludwig van Beethoven, John Smith Jr., and WHO Consortium. 2020. “Fish & Chips: 100% {braces} and \\backslashes in Ærø Café.” Journal of Awkward Text 12 (3): 100–110. https://doi.org/10.1234/ABC.def.',
    ],
    [
      'ieee',
      '[1] “Interleukin-2 in cancer,” pp. 273–285, Feb. 2005.',
      '[1] J. van der Berg, L. van Beethoven, J. Smith Jr., and WHO Consortium, “Fish & chips: 100% {braces} and \\backslashes in Ærø café,” Journal of Awkward Text, vol. 12, no. 3, pp. 100–110, May 2020, doi: 10.1234/ABC.def.',
    ],
    [
      'modern-language-association',
      'Interleukin-2 in Cancer. Feb. 2005, pp. 273–85.',
      'van der Berg, Jan, et al. “Fish & Chips: 100% {braces} and \\backslashes in Ærø Café.” Journal of Awkward Text, vol. 12, no. 3, May 2020, pp. 100–10, https://doi.org/10.1234/ABC.def.',
    ],
    [
      'nature',
      '1. Interleukin-2 in cancer. 273–285 (2005).',
      '1. van der Berg, J., Beethoven, L. van, Smith, J., Jr., & WHO Consortium. Fish & chips: 100% {braces} and \\backslashes in Ærø café. Journal of Awkward Text 12, 100–110 (2020).',
    ],
    [
      'american-medical-association',
      '1. Interleukin-2 in cancer. Published online February 24, 2005:273-285.',
      '1. van der Berg J, Beethoven L van, Smith J Jr, WHO Consortium. Fish & chips: 100% {braces} and \\backslashes in Ærø café. Journal of Awkward Text. 2020;12(3):100-110. doi:10.1234/ABC.def',
    ],
  ])('renders in %s', (style, seedEntry, richEntry) => {
    expect(render(seed, style)).toBe(seedEntry)
    expect(render(rich, style)).toBe(richEntry)
  })

  it('answers the common aliases', () => {
    expect(render(seed, 'mla')).toBe(render(seed, 'modern-language-association'))
    expect(render(seed, 'chicago')).toBe(render(seed, 'chicago-author-date'))
    expect(render(seed, 'ama')).toBe(render(seed, 'american-medical-association'))
    expect(cite(rich, 'ieee')).toBe('[1]')
  })

  it('renders APA in British English and in German', () => {
    const page: CslItem = {
      id: 'p',
      type: 'webpage',
      title: 'Cancer statistics',
      URL: 'https://example.org/stats',
      accessed: { 'date-parts': [[2024, 3, 5]] },
      editor: [{ family: 'Smith', given: 'Anna' }],
      edition: '2',
    }
    expect(render(page, 'apa', 'en-US')).toContain('Retrieved March 5, 2024')
    expect(render(page, 'apa', 'en-GB')).toContain('Retrieved 5 March 2024')
    expect(render(page, 'apa', 'de-DE')).toContain('Abgerufen 5. März 2024')
    const book: CslItem = {
      id: 'b',
      type: 'book',
      title: 'Cancer immunotherapy',
      editor: [{ family: 'Smith', given: 'Anna' }],
      edition: '2',
      publisher: 'Springer',
      issued: { 'date-parts': [[2010]] },
    }
    expect(render(book, 'apa', 'de-DE')).toBe('Smith, A. (Hrsg.). (2010). Cancer immunotherapy (2. Aufl.). Springer.')
  })

  it('resolves dependent styles through their parents', () => {
    expect(csl.library.resolveStyle('2d-materials').xml()).toBe(csl.library.resolveStyle('institute-of-physics-numeric').xml())
    expect(render(seed, '2d-materials')).toBe(render(seed, 'institute-of-physics-numeric'))
  })

  it('renders the same in a render worker, which finds the same files (a dependent style, a locale of its own)', async () => {
    const works = worksOf(seed, rich)
    for (const [style, locale] of [
      ['ieee', 'en-GB'],
      ['nature-communications', 'en-US'],
      ['apa-no-initials', 'de-DE'],
    ] as const) {
      const request = { style: csl.library.resolveStyle(style), locale: csl.library.resolveLocale(locale), output: 'html' as const }
      expect(await csl.renderer.render('bibliography', works, request)).toBe(renderBibliography(works, request, engines))
    }
  }, 120_000)
})
