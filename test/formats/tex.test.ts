import { describe, expect, it } from 'vitest'
import { portableTex, protectEscapedCapitals } from '../../src/formats/tex.js'

describe('portableTex', () => {
  it('replaces textcomp commands with the escapes every reader knows', () => {
    expect(portableTex('\\textdollar{}5 a\\textunderscore{}b \\textbraceleft{}x\\textbraceright{}')).toBe('\\$5 a\\_b \\{x\\}')
  })

  it('writes symbol accents without a space and keeps the space after letter accents', () => {
    expect(portableTex('caf{\\\' e} na{\\" i}ve {\\v z} {\\H o}')).toBe('caf{\\\'e} na{\\"i}ve {\\v z} {\\H o}')
  })
})

describe('protectEscapedCapitals', () => {
  it('gives escaped capitals a second brace level', () => {
    expect(protectEscapedCapitals("\\AE{}r\\o{} {\\' {E}}cole {\\v Z}i{\\v z}ek $\\Omega$ \\L{}\\'od\\'z")).toBe(
      "{{\\AE}}r\\o{} {{\\'E}}cole {{\\v Z}}i{\\v z}ek {$\\Omega$} {{\\L}}\\'od\\'z",
    )
  })

  it('leaves lower-case escapes alone', () => {
    expect(protectEscapedCapitals("\\ae{} {\\' e} $\\omega$")).toBe("\\ae{} {\\' e} $\\omega$")
  })
})
