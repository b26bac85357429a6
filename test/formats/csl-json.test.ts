import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { contextFor, renderPlain } from '../fixtures/csl.js'
import { worksOf, richItem, seed } from '../fixtures/works.js'

// Validated with a compile of its own of the official CSL-JSON data schema (src/catalogue/csl-data.schema.json).
const schema = JSON.parse(readFileSync(new URL('../../src/catalogue/csl-data.schema.json', import.meta.url), 'utf8')) as object
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
const options = contextFor()

describe('CSL-JSON', () => {
  it.each([
    ['the seed record', [seed]],
    ['the awkward record', [richItem]],
    ['both', [seed, richItem]],
  ])('is valid against the official schema for %s and keeps every field', (_, items) => {
    const json: unknown = JSON.parse(renderPlain('csl-json', worksOf(...items), options))
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
    expect(json).toEqual(items)
  })

  it('is checked by a validator that can fail', () => {
    expect(validate([{ id: 'x', type: 'article-journal', journal: 'J' }])).toBe(false)
    expect(validate([{ id: 'x', type: 'article-journal', author: 'Smith' }])).toBe(false)
  })
})
