import { OaiError } from './errors.js'

/** Where a list continues, and what it lists: all a resumption token needs, so the server keeps no state. */
export interface ListPosition {
  readonly metadataPrefix: string
  /**
   * The seq of the last work listed: the list goes on after it, so that works added, changed or
   * removed meanwhile never make it skip or repeat a work that was there throughout.
   */
  readonly afterSeq: number
  /** How many records the list has given so far. */
  readonly cursor: number
  readonly from?: string
  readonly until?: string
  readonly set?: string
}

export function encodeToken(position: ListPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

const text = (value: unknown): value is string => typeof value === 'string'
const optionalText = (value: unknown) => value === undefined || text(value)

const count = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0

/** @throws OaiError badResumptionToken for anything not made by encodeToken */
export function decodeToken(token: string): ListPosition {
  let decoded: unknown
  try {
    decoded = /^[A-Za-z0-9_-]+$/.test(token) ? JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) : undefined
  } catch {
    decoded = undefined
  }
  const candidate = (typeof decoded === 'object' && decoded !== null ? decoded : {}) as Record<string, unknown>
  const { metadataPrefix, afterSeq, cursor, from, until, set } = candidate
  const wellFormed =
    text(metadataPrefix) && count(afterSeq) && count(cursor) && optionalText(from) && optionalText(until) && optionalText(set)
  if (!wellFormed) throw new OaiError('badResumptionToken', 'The resumption token is not one this repository issued.')
  return candidate as unknown as ListPosition
}
