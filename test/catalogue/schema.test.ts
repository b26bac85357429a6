import { describe, expect, it } from 'vitest'
import official from '../../src/catalogue/csl-data.schema.json' with { type: 'json' }
import {
  CSL_DATE_VARIABLES,
  CSL_ITEM_TYPES,
  CSL_NAME_VARIABLES,
  CSL_NUMBER_VARIABLES,
  CSL_STRING_VARIABLES,
  type CslDate,
  type CslName,
} from '../../src/catalogue/schema.js'
import { recordProblems } from '../../src/catalogue/validate-record.js'

const isValid = (record: unknown) => recordProblems(0, record).length === 0

/** The variables of the official schema whose value schema is `shape`. */
function variablesShaped(shape: object): string[] {
  return Object.entries(official.items.properties)
    .filter(([, schema]) => {
      const { description: _description, ...rest } = schema as { description?: string }
      return JSON.stringify(rest) === JSON.stringify(shape)
    })
    .map(([variable]) => variable)
    .sort()
}

// Every key of the name and date types, so that a key the official schema lacks fails to compile here.
const NAME_KEYS = Object.keys({
  family: '',
  given: '',
  'dropping-particle': '',
  'non-dropping-particle': '',
  suffix: '',
  'comma-suffix': '',
  'static-ordering': '',
  literal: '',
  'parse-names': '',
} satisfies Required<CslName>)
const DATE_KEYS = Object.keys({ 'date-parts': [], season: '', circa: '', literal: '', raw: '' } satisfies Required<CslDate>)

describe('the CslItem type and the official CSL-JSON schema', () => {
  it('know the same variables, each with the same kind of value', () => {
    expect([...CSL_NAME_VARIABLES].sort()).toEqual(variablesShaped({ type: 'array', items: { $ref: '#/definitions/name-variable' } }))
    expect([...CSL_DATE_VARIABLES].sort()).toEqual(variablesShaped({ $ref: '#/definitions/date-variable' }))
    expect([...CSL_STRING_VARIABLES].sort()).toEqual(variablesShaped({ type: 'string' }))
    // `id` is a number variable in shape (string or number), and typed apart as the required key it is.
    expect(['id', ...CSL_NUMBER_VARIABLES].sort()).toEqual(variablesShaped({ type: ['string', 'number'] }))
    const typed = ['type', 'id', 'categories', 'custom', ...CSL_NAME_VARIABLES, ...CSL_DATE_VARIABLES, ...CSL_NUMBER_VARIABLES]
    expect([...typed, ...CSL_STRING_VARIABLES].sort()).toEqual(Object.keys(official.items.properties).sort())
  })

  it('know the same item types', () => {
    expect([...CSL_ITEM_TYPES].sort()).toEqual([...official.items.properties.type.enum].sort())
  })

  it('have the same name and date objects', () => {
    expect(NAME_KEYS.sort()).toEqual(Object.keys(official.definitions['name-variable'].anyOf[0]?.properties ?? {}).sort())
    expect(DATE_KEYS.sort()).toEqual(Object.keys(official.definitions['date-variable'].anyOf[0]?.properties ?? {}).sort())
  })
})

describe('record validation', () => {
  it('requires what the official schema requires', () => {
    for (const field of official.items.required) {
      const item: Record<string, unknown> = { id: 'x', type: 'book' }
      delete item[field]
      expect(isValid(item)).toBe(false)
    }
  })

  it('rejects unknown variables and wrong shapes, as additionalProperties: false does', () => {
    expect(isValid({ id: 'x', type: 'book', journal: 'J' })).toBe(false)
    expect(isValid({ id: 'x', type: 'book', author: [{ name: 'X' }] })).toBe(false)
    expect(isValid({ id: 'x', type: 'book', issued: { 'date-parts': [[2001, 2, 3, 4]] } })).toBe(false)
    expect(isValid({ id: 'x', type: 'novel' })).toBe(false)
  })

  it('accepts numeric ids and number variables given as numbers, as CSL-JSON allows', () => {
    expect(isValid({ id: 7, type: 'book', volume: 3, page: 12 })).toBe(true)
  })

  it('refuses ids that cannot name a record in a URL', () => {
    expect(isValid({ id: '', type: 'book' })).toBe(false)
    expect(isValid({ id: 'a\nb', type: 'book' })).toBe(false)
  })
})
