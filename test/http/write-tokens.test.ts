import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bearerToken, WriteTokens, WriteTokensError } from '../../src/http/write-tokens.js'

/** The digest as the docs tell people to make it: with coreutils' sha256sum, not with node:crypto. */
function sha256sum(token: string): string {
  return execFileSync('sha256sum', { input: token }).toString().split(' ')[0] as string
}

describe('WriteTokens', () => {
  const alice = 'a-long-random-token-for-alice'
  const bob = 'another-token-for-bob'
  const file = `# who may write\n\nalice ${sha256sum(alice)}\n  bob   ${sha256sum(bob).toUpperCase()}  \n`

  it('knows each token by its name, from its SHA-256 alone', () => {
    const tokens = WriteTokens.parse('tokens', file)
    expect(tokens.enabled).toBe(true)
    expect(tokens.names).toEqual(['alice', 'bob'])
    expect(tokens.nameOf(alice)).toBe('alice')
    expect(tokens.nameOf(bob)).toBe('bob')
    expect(tokens.nameOf(`${alice}x`)).toBeUndefined()
    expect(tokens.nameOf(sha256sum(alice))).toBeUndefined()
    expect(tokens.nameOf('')).toBeUndefined()
  })

  it('has none, and writes off, without a file or with an empty one', () => {
    expect(WriteTokens.load(undefined).enabled).toBe(false)
    expect(WriteTokens.parse('tokens', '# nobody yet\n').enabled).toBe(false)
    expect(WriteTokens.none.nameOf('anything')).toBeUndefined()
  })

  it.each([
    ['alice', 'line 2: expected "name sha256-hex"'],
    [`alice ${'0'.repeat(64)} extra`, 'line 2: expected "name sha256-hex"'],
    [`alice ${alice}`, 'line 2: "alice" needs the SHA-256 of its token as 64 hexadecimal digits, not the token itself'],
    [`al/ice ${'0'.repeat(64)}`, 'line 2: the name must be'],
    [`alice ${'1'.repeat(64)}`, 'line 2: "alice" repeats the name of "alice"'],
    [`carol ${'0'.repeat(64)}`, 'line 2: "carol" repeats the hash of "alice"'],
  ])('refuses %j, naming the file and the line', (line, message) => {
    const text = `alice ${'0'.repeat(64)}\n${line}\n`
    expect(() => WriteTokens.parse('/etc/citeserve/tokens', text)).toThrow(WriteTokensError)
    expect(() => WriteTokens.parse('/etc/citeserve/tokens', text)).toThrow(`/etc/citeserve/tokens ${message}`)
  })

  it('reads the file, and names a file it cannot read', () => {
    const directory = mkdtempSync(join(tmpdir(), 'citeserve-tokens-'))
    const path = join(directory, 'tokens')
    writeFileSync(path, file)
    expect(WriteTokens.load(path).nameOf(bob)).toBe('bob')
    expect(() => WriteTokens.load(join(directory, 'missing'))).toThrow(`${join(directory, 'missing')}: cannot be read (ENOENT)`)
  })
})

describe('bearerToken', () => {
  it('takes the token of the Bearer scheme, in any case of the scheme', () => {
    expect(bearerToken('Bearer abc.DEF-123_~+/=')).toBe('abc.DEF-123_~+/=')
    expect(bearerToken('bearer abc')).toBe('abc')
  })

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic YWxpY2U6c2VjcmV0', 'Bearer two words', 'Bearer a"b'])(
    'finds none in %j',
    (header) => {
      expect(bearerToken(header)).toBeUndefined()
    },
  )
})
