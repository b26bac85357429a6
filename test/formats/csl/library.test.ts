import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderBibliography } from '../../../src/formats/bibliography.js'
import { UnknownOptionError } from '../../../src/formats/errors.js'
import { EnginePool } from '../../../src/formats/csl/engines.js'
import { openCslServices } from '../../../src/formats/csl/services.js'
import { worksOf, seed } from '../../fixtures/works.js'

// A style, a dependent style and a locale written for the test suite, loaded like Debian's.
const styleDirectory = fileURLToPath(new URL('../../fixtures/csl-styles', import.meta.url))
const localeDirectory = fileURLToPath(new URL('../../fixtures/csl-locales', import.meta.url))
const csl = await openCslServices({
  styleDirectories: [styleDirectory, '/nonexistent'],
  localeDirectories: [localeDirectory],
  engines: 4,
  workers: 1,
})
const engines = new EnginePool(csl.library, 4)

function render(style: string, locale: string) {
  const context = { style: csl.library.resolveStyle(style), locale: csl.library.resolveLocale(locale), output: 'text' as const }
  return renderBibliography(worksOf(seed), context, engines)
}

describe('CslLibrary', () => {
  it('finds styles and locales in directories beside the built-in ones', () => {
    expect(csl.library.styleIds).toEqual(['apa', 'vancouver', 'harvard-cite-them-right', 'citeserve-test', 'citeserve-test-journal'])
    expect(csl.library.localeIds).toEqual(['de-DE', 'en-US', 'es-ES', 'fr-FR', 'nl-NL', 'xx-TS'])
  })

  it('renders with a style and a locale loaded from files', () => {
    expect(render('citeserve-test', 'en-US')).toBe('INTERLEUKIN-2 IN CANCER (2005) p.\n')
    expect(render('citeserve-test', 'xx-TS')).toBe('INTERLEUKIN-2 IN CANCER (2005) test-pages\n')
  })

  it('resolves a dependent style through its parent, with its own default locale', () => {
    const dependent = csl.library.resolveStyle('citeserve-test-journal')
    expect(dependent.id).toBe('citeserve-test-journal')
    expect(dependent.defaultLocale).toBe('xx-TS')
    expect(dependent.xml()).toBe(csl.library.resolveStyle('citeserve-test').xml())
    expect(render('citeserve-test-journal', 'xx-TS')).toBe('INTERLEUKIN-2 IN CANCER (2005) test-pages\n')
  })

  it('lists titles and citation formats of every style', async () => {
    const summaries = await csl.library.styleSummaries()
    expect(summaries.find((style) => style.id === 'citeserve-test')).toEqual({
      id: 'citeserve-test',
      title: 'citeserve test style & friends',
      format: 'author-date',
      parent: null,
      aliases: [],
    })
    expect(summaries.find((style) => style.id === 'citeserve-test-journal')?.parent).toBe('citeserve-test')
    expect(summaries.find((style) => style.id === 'apa')).toMatchObject({ title: expect.stringContaining('APA'), format: 'author-date' })
  })

  it('resolves aliases, cases and bare languages', () => {
    expect(csl.library.resolveStyle('Harvard').id).toBe('harvard-cite-them-right')
    expect(csl.library.resolveLocale('de').id).toBe('de-DE')
    expect(csl.library.resolveLocale('EN_us').id).toBe('en-US')
  })

  it('refuses unknown styles and locales, suggesting the closest, with no fallback', () => {
    expect(() => csl.library.resolveStyle('citeserve-tset')).toThrow(UnknownOptionError)
    try {
      csl.library.resolveStyle('citeserve-tset')
    } catch (error) {
      expect((error as UnknownOptionError).closest[0]).toBe('citeserve-test')
      expect((error as UnknownOptionError).message).toMatch(/^unknown style "citeserve-tset"; closest: citeserve-test\b/)
    }
    expect(() => csl.library.resolveLocale('xx-XX')).toThrow('unknown locale "xx-XX"')
    expect(() => csl.library.resolveLocale('pt')).toThrow(UnknownOptionError)
  })

  it('is empty but for the built-ins where no directory exists', async () => {
    const bare = await openCslServices({ styleDirectories: ['/nonexistent'], localeDirectories: ['/nonexistent'], engines: 1, workers: 1 })
    expect(bare.library.styleIds).toEqual(['apa', 'vancouver', 'harvard-cite-them-right'])
    expect(() => bare.library.resolveStyle('ieee')).toThrow(UnknownOptionError)
  })
})
