import type { z } from 'zod'

/** Whether a value passes a schema: `true` only where the schema's own `safeParse` succeeds. */
export type Check = (value: unknown) => boolean

/**
 * Derives from a zod schema a predicate that accepts exactly what the schema accepts, for values as
 * `JSON.parse` returns them, without building the parsed copy zod builds (which is most of zod's cost
 * on a large catalogue: it visits every optional key of the schema on every record).
 *
 * The schema stays the source of truth: the predicate is read off its definition, not written by hand,
 * and whatever kind of schema this file does not transcribe is checked by calling zod itself. It
 * leans towards refusing: an object whose prototype is not a plain object's, or with an own key the
 * schema lacks, is refused even where zod might not look, so a caller that falls back to zod for
 * what is refused (as the catalogue load does, for its error messages) always ends with zod's verdict.
 * test/catalogue/quick-check.test.ts checks that the two agree, property-based.
 */
export function quickCheck(schema: z.core.$ZodType): Check {
  const viaZod: Check = (value) => (schema as z.ZodType).safeParse(value).success
  const def = (schema as z.core.$ZodTypes)._zod.def
  switch (def.type) {
    case 'string':
      // Checks (length in code points, patterns) are zod's to apply; a bare string is a typeof.
      return def.checks?.length || def.coerce ? viaZod : (value) => typeof value === 'string'
    case 'number':
      return def.checks?.length || def.coerce ? viaZod : (value) => typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return def.coerce ? viaZod : (value) => typeof value === 'boolean'
    case 'unknown':
    case 'any':
      return () => true
    case 'enum': {
      const values = new Set<unknown>(Object.values(def.entries))
      return (value) => values.has(value)
    }
    case 'optional': {
      const inner = quickCheck(def.innerType)
      return (value) => value === undefined || inner(value)
    }
    case 'union': {
      if (def.inclusive === false) return viaZod
      const options = def.options.map(quickCheck)
      return (value) => options.some((option) => option(value))
    }
    case 'array':
      return arrayCheck(def, viaZod)
    case 'object':
      return objectCheck(def, viaZod)
    default:
      return viaZod
  }
}

function arrayCheck(def: z.core.$ZodArrayDef, viaZod: Check): Check {
  let minimum = 0
  let maximum = Infinity
  for (const check of def.checks ?? []) {
    const checkDef = check._zod.def as { check: string; minimum?: number; maximum?: number }
    if (checkDef.check === 'min_length' && checkDef.minimum !== undefined) minimum = Math.max(minimum, checkDef.minimum)
    else if (checkDef.check === 'max_length' && checkDef.maximum !== undefined) maximum = Math.min(maximum, checkDef.maximum)
    else return viaZod
  }
  const element = quickCheck(def.element)
  return (value) => {
    if (!Array.isArray(value) || value.length < minimum || value.length > maximum) return false
    for (let index = 0; index < value.length; index++) if (!element(value[index])) return false
    return true
  }
}

/** Strict objects only (unknown keys are errors), without refinements; others are zod's. */
function objectCheck(def: z.core.$ZodObjectDef, viaZod: Check): Check {
  if (def.catchall?._zod.def.type !== 'never' || def.checks?.length) return viaZod
  const keys = new Map<string, Check>()
  const required: string[] = []
  for (const [key, field] of Object.entries(def.shape)) {
    // A key Object.prototype has would be found on every object by zod's `in`; none is expected.
    if (key in Object.prototype) return viaZod
    keys.set(key, quickCheck(field))
    if (field._zod.optin === undefined) required.push(key)
  }
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) return false
    const record = value as Record<string, unknown>
    // Every own key, enumerable or not: a key the schema lacks is refused, a known one checked.
    for (const key of Object.getOwnPropertyNames(record)) {
      const check = keys.get(key)
      if (check === undefined || !check(record[key])) return false
    }
    for (const key of required) if (!Object.hasOwn(record, key)) return false
    return true
  }
}
