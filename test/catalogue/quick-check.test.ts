import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { quickCheck } from '../../src/catalogue/quick-check.js'
import {
  CSL_DATE_VARIABLES,
  CSL_ITEM_TYPES,
  CSL_NAME_VARIABLES,
  CSL_VARIABLES,
  cslDateSchema,
  cslItemSchema,
  cslNameSchema,
} from '../../src/catalogue/schema.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { richItem, seed } from '../fixtures/works.js'

const RUNS = { seed: 20261126, numRuns: 3000 }

/** An object from key-value pairs as JSON.parse builds it: a `__proto__` key is an own key there. */
const jsonObject = (pairs: readonly (readonly [string, unknown])[]): unknown =>
  JSON.parse(`{${pairs.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`)

const pairsOf = (keys: fc.Arbitrary<string>, value: fc.Arbitrary<unknown>, maxLength: number) =>
  fc.array(fc.tuple(keys, value), { maxLength })

// Values that are wrong somewhere, and the edge cases of right ones: empty, control characters, zero.
const scalar = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.constantFrom('', 'a\u0000b', '\u0085', '\u{1F600}', '__proto__'),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
)
const NAME_KEYS = Object.keys(cslNameSchema.shape)
const name = fc.oneof(
  {
    weight: 8,
    arbitrary: pairsOf(fc.constantFrom(...NAME_KEYS), fc.oneof({ weight: 4, arbitrary: fc.string() }, scalar), 3).map(jsonObject),
  },
  { weight: 1, arbitrary: pairsOf(fc.constantFrom(...NAME_KEYS, 'nickname', '__proto__'), scalar, 3).map(jsonObject) },
  { weight: 1, arbitrary: scalar },
)
const datePart = fc.oneof(fc.integer({ min: -5, max: 2030 }), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null))
const date = fc.oneof(
  {
    weight: 8,
    arbitrary: pairsOf(
      fc.constantFrom(...Object.keys(cslDateSchema.shape)),
      fc.oneof(fc.array(fc.array(datePart, { maxLength: 4 }), { maxLength: 3 }), scalar),
      3,
    ).map(jsonObject),
  },
  { weight: 1, arbitrary: pairsOf(fc.constantFrom('date-parts', 'year', '__proto__'), scalar, 2).map(jsonObject) },
  { weight: 1, arbitrary: scalar },
)
const custom = pairsOf(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), 3).map(jsonObject)

/** A value for one variable: mostly of its kind (which may still be wrong inside), sometimes of another. */
function valueFor(variable: string): fc.Arbitrary<unknown> {
  const own: fc.Arbitrary<unknown> = (CSL_NAME_VARIABLES as readonly string[]).includes(variable)
    ? fc.array(name, { maxLength: 3 })
    : (CSL_DATE_VARIABLES as readonly string[]).includes(variable)
      ? date
      : variable === 'custom'
        ? custom
        : variable === 'categories'
          ? fc.array(fc.oneof({ weight: 6, arbitrary: fc.string() }, scalar), { maxLength: 3 })
          : fc.oneof(fc.string(), fc.integer())
  return fc.oneof({ weight: 8, arbitrary: own }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.oneof(date, fc.array(name)) })
}

const variable = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...CSL_VARIABLES.filter((key) => key !== 'id' && key !== 'type')) },
  { weight: 1, arbitrary: fc.constantFrom('journal', '__proto__', 'constructor', 'toString', 'ID') },
)
const record = fc
  .record({
    id: fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.constantFrom('', 'a\nb', 'x\u007f', 'ok-1'), fc.constant(undefined)),
    type: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...CSL_ITEM_TYPES) },
      { weight: 1, arbitrary: scalar },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    rest: fc.array(
      variable.chain((key) => fc.tuple(fc.constant(key), valueFor(key))),
      { maxLength: 5 },
    ),
  })
  .map(({ id, type, rest }) =>
    jsonObject([...(id === undefined ? [] : [['id', id] as const]), ...(type === undefined ? [] : [['type', type] as const]), ...rest]),
  )

const isCslItem = quickCheck(cslItemSchema)

describe('quickCheck of the CSL-JSON item schema', () => {
  it('accepts exactly the records zod accepts, over records near and far from valid', () => {
    const verdicts = { valid: 0, invalid: 0 }
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: record }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }), (value) => {
        const zod = cslItemSchema.safeParse(value).success
        verdicts[zod ? 'valid' : 'invalid']++
        expect(isCslItem(value)).toBe(zod)
      }),
      RUNS,
    )
    // Both answers were exercised, in quantity.
    expect(verdicts.valid).toBeGreaterThan(300)
    expect(verdicts.invalid).toBeGreaterThan(300)
  })

  it('accepts the bundled record, the rich fixture and a synthetic catalogue', () => {
    for (const item of [seed, richItem, ...syntheticCatalogue(300)]) expect(isCslItem(JSON.parse(JSON.stringify(item)))).toBe(true)
  })
})

describe('quickCheck of other schemas', () => {
  it('refuses an own key the schema lacks even where zod does not look (non-enumerable), so zod decides', () => {
    const schema = z.strictObject({ a: z.string().optional() })
    const hidden = Object.defineProperty({}, 'b', { value: 1, enumerable: false })
    expect(schema.safeParse(hidden).success).toBe(true)
    expect(quickCheck(schema)(hidden)).toBe(false)
  })

  it('leaves what it does not transcribe to zod: refinements, string checks, loose objects, records', () => {
    const cases: [z.ZodType, unknown, boolean][] = [
      [z.string().min(2), 'é', false],
      [z.string().min(2), '\u{1F600}\u{1F600}', true],
      [z.string().regex(/^a/), 'ab', true],
      [z.number().int(), 1.5, false],
      [z.object({ a: z.string() }), { a: 'x', b: 1 }, true],
      [z.strictObject({ a: z.string() }).refine((value) => value.a !== 'no'), { a: 'no' }, false],
      [z.record(z.string(), z.number()), { a: 1 }, true],
      [z.record(z.string(), z.number()), { a: 'x' }, false],
      [z.array(z.number()).min(1).max(2), [], false],
      [z.array(z.number()).min(1).max(2), [1, 2, 3], false],
      [z.array(z.number()).min(1).max(2), [1, 2], true],
      [z.union([z.string(), z.boolean()]), null, false],
      [z.strictObject({ a: z.string() }), {}, false],
      [z.strictObject({ a: z.string() }), Object.assign(Object.create(null) as object, { a: 'x' }), true],
    ]
    for (const [schema, value, expected] of cases) {
      expect(schema.safeParse(value).success).toBe(expected)
      expect(quickCheck(schema)(value)).toBe(expected)
    }
  })
})
