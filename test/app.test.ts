import { describe, expect, it } from 'vitest'
import { encodeWorkIdSlashes } from '../src/app.js'

describe('encodeWorkIdSlashes', () => {
  it.each([
    ['/works/10.1234/abc.def', '/works/10.1234%2Fabc.def'],
    ['/works/10.1234/abc.def/citation?format=ris', '/works/10.1234%2Fabc.def/citation?format=ris'],
    [
      '/works/10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0',
      '/works/10.1002%2F(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0',
    ],
    ['/works/10.1000/a/b/c/citation', '/works/10.1000%2Fa%2Fb%2Fc/citation'],
  ])('encodes the slashes of the id in %s', (url, expected) => {
    expect(encodeWorkIdSlashes(url)).toBe(expected)
  })

  it.each(['/works', '/works?query=a/b', '/works/plain-id', '/works/plain-id/citation', '/works/10.1234%2Fabc', '/docs/static/index.css'])(
    'leaves %s alone',
    (url) => {
      expect(encodeWorkIdSlashes(url)).toBe(url)
    },
  )
})
