import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { worksOf } from '../../src/catalogue/catalogue.js'
import { appendDublinCore, dublinCoreRecord } from '../../src/formats/dublin-core.js'
import { xmlEscape, xmlFragment } from '../../src/formats/xml.js'

// The parts of OAI-PMH answers written as text must be what xmlbuilder2 writes for the same tree:
// markup escaped, characters XML cannot carry (controls, lone surrogates, U+FFFE) dropped.

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('a & b', '<script>', 'x < y > z', ']]>', '"quoted" \'single\'', '\u0001\u0008\u000b', '\r\n\t', '\uD800 lone', '\uFFFE'),
)

describe('text written for OAI-PMH', () => {
  it('escapes text as xmlbuilder2 does', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(`<t>${xmlEscape(text)}</t>`).toBe(xmlFragment((parent) => parent.ele('t').txt(text)).replace('<t/>', '<t></t>'))
      }),
    )
  })

  it('writes oai_dc records as the xmlbuilder2 tree would', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (title, family, abstract) => {
        const item = {
          id: 'w',
          type: 'book' as const,
          title,
          author: [{ family, given: abstract }],
          abstract,
          keyword: `${title}; ${family}`,
        }
        const [work] = worksOf([item])
        if (work === undefined) throw new Error('no work')
        expect(dublinCoreRecord(work)).toBe(xmlFragment((parent) => appendDublinCore(parent, work, false)))
      }),
    )
  })
})
