import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { chooseContentCoding, compress } from '../../src/http/encoding.js'

describe('chooseContentCoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.1, gzip;q=0.5', 'gzip'],
    ['br;q=2, gzip', 'gzip'],
    ['br;q=abc', undefined],
    ['deflate, zstd', undefined],
    ['GZIP;Q=1', 'gzip'],
  ])('Accept-Encoding: %s → %s', (header, expected) => {
    expect(chooseContentCoding(header)).toBe(expected)
  })
})

describe('compress', () => {
  const body = 'Interleukin-2 in cancer. '.repeat(100)

  it('gives bodies that zlib decodes back to the original', async () => {
    expect(brotliDecompressSync(await compress(body, 'br')).toString()).toBe(body)
    expect(gunzipSync(await compress(Buffer.from(body), 'gzip')).toString()).toBe(body)
  })
})
