import { describe, expect, it } from 'vitest'
import { renderBibliography } from '../../src/formats/bibliography.js'
import { resolveLocale, resolveStyle } from '../../src/formats/csl-styles.js'
import { UnknownOptionError } from '../../src/formats/errors.js'
import { catalogueOf, richItem, seed } from '../fixtures/works.js'

const render = (items: Parameters<typeof catalogueOf>, style: string, locale: string, output: 'text' | 'html') =>
  renderBibliography(catalogueOf(...items).works, { style: resolveStyle(style), locale: resolveLocale(locale), output })

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

  it('has no HTML tags or entities in plain text', () => {
    const text = render([seed, richItem], 'apa', 'en-US', 'text')
    expect(text).not.toMatch(/<\/?[a-z][^>]*>|&#?\w+;/i)
    expect(text).toContain('Fish & chips')
  })

  it('escapes record ids and text in HTML', () => {
    const hostile = { ...richItem, id: '"><script>alert(1)</script>', title: 'A <script>alert(2)</script> title' }
    const html = render([hostile], 'apa', 'en-US', 'html')
    expect(html).not.toContain('<script>')
    expect(html).toContain('data-csl-entry-id="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
    expect(html).toMatch(/^<div class="csl-bib-body">/)
  })

  it('orders several entries as the style sorts them', () => {
    const text = render(
      [
        { ...seed, id: 'z', title: 'Zebra' },
        { ...seed, id: 'a', title: 'Aardvark' },
      ],
      'apa',
      'en-US',
      'text',
    )
    expect(text.indexOf('Aardvark')).toBeLessThan(text.indexOf('Zebra'))
  })
})

describe('styles and locales', () => {
  it('resolves aliases and bare languages', () => {
    expect(resolveStyle('HARVARD').id).toBe('harvard-cite-them-right')
    expect(resolveLocale('de')).toBe('de-DE')
    expect(resolveLocale('en_us')).toBe('en-US')
  })

  it('refuses unknown ones, naming what is allowed, with no fallback', () => {
    expect(() => resolveStyle('chicago-fantasy')).toThrow(UnknownOptionError)
    expect(() => resolveStyle('chicago-fantasy')).toThrow(
      'unknown style "chicago-fantasy"; allowed: apa, vancouver, harvard-cite-them-right, harvard, harvard1',
    )
    expect(() => resolveLocale('xx-YY')).toThrow('unknown locale "xx-YY"; allowed: en-US, de-DE, es-ES, fr-FR, nl-NL')
    expect(() => resolveLocale('de-XX')).toThrow(UnknownOptionError)
  })
})
