import { OaiError } from './errors.js'

/** Where a list continues, and what it lists: all a resumption token needs, so the server keeps no state. */
export interface ListPosition {
  readonly metadataPrefix: string
  /** The index in the catalogue of the first work not yet scanned. */
  readonly position: number
  readonly from?: string
  readonly until?: string
  readonly set?: string
  /** The catalogue the list is of; a token of another one is refused. */
  readonly catalogue: string
}

export function encodeToken(position: ListPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

const text = (value: unknown): value is string => typeof value === 'string'
const optionalText = (value: unknown) => value === undefined || text(value)

/** @throws OaiError badResumptionToken for anything not made by encodeToken for `catalogue` */
export function decodeToken(token: string, catalogue: string): ListPosition {
  let decoded: unknown
  try {
    decoded = /^[A-Za-z0-9_-]+$/.test(token) ? JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) : undefined
  } catch {
    decoded = undefined
  }
  const candidate = (typeof decoded === 'object' && decoded !== null ? decoded : {}) as Record<string, unknown>
  const { metadataPrefix, position, from, until, set } = candidate
  const wellFormed =
    text(metadataPrefix) &&
    Number.isSafeInteger(position) &&
    (position as number) >= 0 &&
    optionalText(from) &&
    optionalText(until) &&
    optionalText(set)
  if (!wellFormed || !text(candidate.catalogue))
    throw new OaiError('badResumptionToken', 'The resumption token is not one this repository issued.')
  if (candidate.catalogue !== catalogue)
    throw new OaiError('badResumptionToken', 'The resumption token is of a catalogue that has changed since; start the list again.')
  return candidate as unknown as ListPosition
}
