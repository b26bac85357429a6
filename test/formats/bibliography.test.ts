import { describe, expect, it } from 'vitest'
import { renderBibliography, renderCitation } from '../../src/formats/bibliography.js'
import { builtinEngines, contextFor } from '../fixtures/csl.js'
import { worksOf, richItem, seed } from '../fixtures/works.js'

const render = (items: Parameters<typeof worksOf>, style: string, locale: string, output: 'text' | 'html') =>
  renderBibliography(worksOf(...items), contextFor(style, locale, output), builtinEngines)

describe('bibliography', () => {
  it('formats the seed record in APA, Vancouver and Harvard', () => {
    expect(render([seed], 'apa', 'en-US', 'text')).toBe('Interleukin-2 in cancer. (2005). [Review]. 273–285.\n')
    expect(render([seed], 'vancouver', 'en-US', 'text')).toBe('1. Interleukin-2 in cancer [Review]. 2005 Feb 24;273–85.\n')
    expect(render([seed], 'harvard', 'en-US', 'text')).toBe('(2005) “Interleukin-2 in cancer,” pp. 273–285.\n')
  })

  it('translates into the requested locale', () => {
    expect(render([seed], 'vancouver', 'de-DE', 'text')).toContain('24. Februar 2005')
    expect(render([seed], 'vancouver', 'fr', 'text')).toContain('févr')
  })

  it('formats authors, journal and DOI in APA', () => {
    const text = render([richItem], 'apa', 'en-US', 'text')
    expect(text).toMatch(/^van der Berg, J\., Beethoven, L\. van, Smith, J\., Jr\., & WHO Consortium\. \(2020\)\. /)
    expect(text).toContain('Journal of Awkward Text, 12(3), 100–110. https://doi.org/10.1234/ABC.def')
  })

  it('has no markup or entities in plain text', () => {
    const text = render([seed, { ...richItem, title: 'A <i>coli</i> & <b>bold</b> H<sub>2</sub>O' }], 'apa', 'en-US', 'text')
    expect(text).not.toMatch(/<\/?[a-z][^>]*>|&#?\w+;/i)
    expect(text).toContain('A coli & bold H2O')
  })

  it('escapes record ids and text in HTML', () => {
    const hostile = { ...richItem, id: '"><script>alert(1)</script>', title: 'A <script>alert(2)</script> title' }
    const html = render([hostile], 'apa', 'en-US', 'html')
    expect(html).not.toContain('<script>')
    expect(html).toContain('data-csl-entry-id="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
    expect(html).toMatch(/^<div class="csl-bib-body">/)
  })

  it('orders several entries as the style sorts them, and keeps each id with its entry', () => {
    const items = [
      { ...seed, id: 'z', title: 'Zebra' },
      { ...seed, id: 'a', title: 'Aardvark' },
    ]
    const text = render(items, 'apa', 'en-US', 'text')
    expect(text.indexOf('Aardvark')).toBeLessThan(text.indexOf('Zebra'))
    const html = render(items, 'apa', 'en-US', 'html')
    expect(html).toMatch(/data-csl-entry-id="a"><i>Aardvark<\/i>[\s\S]*data-csl-entry-id="z"><i>Zebra<\/i>/)
  })
})

describe('in-text citation', () => {
  it('cites one or several works in the style', () => {
    const works = worksOf(seed, richItem)
    expect(renderCitation(works.slice(0, 1), contextFor('apa'), builtinEngines)).toBe(
      '(<i>Interleukin-2 in Cancer</i>, 2005)\n'.replace(/<\/?i>/g, ''),
    )
    expect(renderCitation(works, contextFor('apa'), builtinEngines)).toBe(
      '(<i>Interleukin-2 in Cancer</i>, 2005; van der Berg et al., 2020)\n'.replace(/<\/?i>/g, ''),
    )
    expect(renderCitation(works.slice(1), contextFor('vancouver'), builtinEngines)).toBe('(1)\n')
  })
})
