import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CSL_ITEM_TYPES, CSL_VARIABLES, cslDateSchema, cslItemSchema, cslNameSchema } from '../../src/catalogue/schema.js'

// The official CSL-JSON data schema, copied from ../shared/schemas (MIT licence).
const official = JSON.parse(readFileSync(new URL('../fixtures/csl-data.schema.json', import.meta.url), 'utf8')) as {
  items: { properties: Record<string, { enum?: string[] }>; required: string[] }
  definitions: Record<string, { anyOf: [{ properties: Record<string, unknown> }] }>
}

describe('the zod CSL-JSON schema', () => {
  it('knows exactly the variables of the official schema', () => {
    expect([...CSL_VARIABLES].sort()).toEqual(Object.keys(official.items.properties).sort())
  })

  it('knows exactly the item types of the official schema', () => {
    expect([...CSL_ITEM_TYPES].sort()).toEqual([...(official.items.properties.type?.enum ?? [])].sort())
  })

  it('has the name and date objects of the official schema', () => {
    expect(Object.keys(cslNameSchema.shape).sort()).toEqual(
      Object.keys(official.definitions['name-variable']?.anyOf[0].properties ?? {}).sort(),
    )
    expect(Object.keys(cslDateSchema.shape).sort()).toEqual(
      Object.keys(official.definitions['date-variable']?.anyOf[0].properties ?? {}).sort(),
    )
  })

  it('requires what the official schema requires', () => {
    for (const field of official.items.required) {
      const item: Record<string, unknown> = { id: 'x', type: 'book' }
      delete item[field]
      expect(cslItemSchema.safeParse(item).success).toBe(false)
    }
  })

  it('rejects unknown variables and wrong shapes, as additionalProperties: false does', () => {
    expect(cslItemSchema.safeParse({ id: 'x', type: 'book', journal: 'J' }).success).toBe(false)
    expect(cslItemSchema.safeParse({ id: 'x', type: 'book', author: [{ name: 'X' }] }).success).toBe(false)
    expect(cslItemSchema.safeParse({ id: 'x', type: 'book', issued: { 'date-parts': [[2001, 2, 3, 4]] } }).success).toBe(false)
    expect(cslItemSchema.safeParse({ id: 'x', type: 'novel' }).success).toBe(false)
  })

  it('accepts numeric ids and number variables given as numbers, as CSL-JSON allows', () => {
    expect(cslItemSchema.safeParse({ id: 7, type: 'book', volume: 3, page: 12 }).success).toBe(true)
  })

  it('refuses ids that cannot name a record in a URL', () => {
    expect(cslItemSchema.safeParse({ id: '', type: 'book' }).success).toBe(false)
    expect(cslItemSchema.safeParse({ id: 'a\nb', type: 'book' }).success).toBe(false)
  })
})
