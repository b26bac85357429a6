import type { ReadOutcome } from './reader.js'

/** Each text as JSON, one outcome per text when it cannot be parsed. */
export function readJson(texts: readonly string[], read: (value: unknown) => ReadOutcome[]): ReadOutcome[] {
  return texts.flatMap((text) => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      return [{ error: `not JSON: ${(error as Error).message}` }]
    }
    return read(value)
  })
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
