import { describe, expect, it } from 'vitest'
import { codedEntityTag, entityTag, isNotModified, wholeSeconds } from '../../src/http/conditional.js'

const modified = new Date('2024-03-01T12:34:56.789Z')
const etag = entityTag('application/json', '{"a":1}')

describe('entityTag', () => {
  it('is a strong, quoted tag that changes with the bytes, the media type and the coding', () => {
    expect(etag).toMatch(/^"[\w-]{27}"$/)
    expect(entityTag('application/json', Buffer.from('{"a":1}'))).toBe(etag)
    expect(entityTag('application/json', '{"a":2}')).not.toBe(etag)
    expect(entityTag('text/plain', '{"a":1}')).not.toBe(etag)
    expect(entityTag('application/json', '{"a":1}', 'br')).toBe(`${etag.slice(0, -1)}-br"`)
  })
})

describe('codedEntityTag', () => {
  it('derives the tag of a coded representation from the identity tag, as entityTag computes it', () => {
    expect(codedEntityTag(etag, 'gzip')).toBe(entityTag('application/json', '{"a":1}', 'gzip'))
    expect(codedEntityTag(etag, 'gzip')).not.toBe(codedEntityTag(etag, 'br'))
  })
})

describe('isNotModified', () => {
  const validators = { etag, lastModified: modified }

  it.each([
    [etag, true],
    [`W/${etag}`, true],
    [`"other", ${etag}`, true],
    ['*', true],
    ['"other"', false],
    [etag.slice(1, -1), false],
    ['', false],
  ])('If-None-Match: %s → %s', (header, expected) => {
    expect(isNotModified({ 'if-none-match': header }, validators)).toBe(expected)
  })

  it('compares If-Modified-Since by whole seconds', () => {
    expect(isNotModified({ 'if-modified-since': 'Fri, 01 Mar 2024 12:34:56 GMT' }, validators)).toBe(true)
    expect(isNotModified({ 'if-modified-since': 'Sat, 02 Mar 2024 00:00:00 GMT' }, validators)).toBe(true)
    expect(isNotModified({ 'if-modified-since': 'Fri, 01 Mar 2024 12:34:55 GMT' }, validators)).toBe(false)
    expect(wholeSeconds(modified).toISOString()).toBe('2024-03-01T12:34:56.000Z')
  })

  it('ignores an invalid date, and If-Modified-Since when If-None-Match is present', () => {
    expect(isNotModified({ 'if-modified-since': 'yesterday' }, validators)).toBe(false)
    expect(isNotModified({ 'if-none-match': '"other"', 'if-modified-since': 'Sat, 02 Mar 2024 00:00:00 GMT' }, validators)).toBe(false)
    expect(isNotModified({}, validators)).toBe(false)
  })
})
