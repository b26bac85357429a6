// Validators and conditional requests (RFC 9110 §8.8 and §13).
import { createHash } from 'node:crypto'
import { CODINGS } from './encoding.js'

/**
 * A strong entity tag for a representation: a digest of its media type and its bytes, so equal
 * representations get equal tags on every replica of the service, and any change of either gives a new one.
 * A content coding is a different representation, so it gets its own tag (`"…-br"`). Not the etag
 * package: it digests the body alone.
 */
export function entityTag(contentType: string, body: string | Buffer, contentCoding?: string): string {
  const digest = createHash('sha256').update(contentType).update('\n').update(body).digest('base64url').slice(0, 27)
  const tag = `"${digest}"`
  return contentCoding ? codedEntityTag(tag, contentCoding) : tag
}

/**
 * A weak entity tag (without its `W/` prefix) for a representation known only by what it is made
 * from, before its bytes exist: a digest of those parts. A file streamed as it is rendered is
 * tagged so, from the request and the versions of the works in it.
 */
export function partsTag(parts: Iterable<string>): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\u0000')
  return `"${hash.digest('base64url').slice(0, 27)}"`
}

/** The tag of a representation sent in a content coding, from the tag of its identity representation. */
export function codedEntityTag(identityTag: string, contentCoding: string): string {
  return `${identityTag.slice(0, -1)}-${contentCoding}"`
}

/** An HTTP date has whole seconds: the sub-second part is dropped so that comparisons agree. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000)
}

/** The entity tags listed in an If-None-Match header, without their weakness prefix; `*` stays `*`. */
function listedTags(header: string): string[] {
  return (header.match(/\*|(?:W\/)?"[^"]*"/g) ?? []).map((tag) => tag.replace(/^W\//, ''))
}

export interface Validators {
  readonly etag: string
  /** None: If-Modified-Since cannot match. */
  readonly lastModified: Date | undefined
}

export interface ConditionalHeaders {
  readonly 'if-none-match'?: string | undefined
  readonly 'if-modified-since'?: string | undefined
}

/**
 * Whether a GET or HEAD can be answered 304 Not Modified. If-None-Match is compared weakly, as RFC 9110
 * §13.1.2 requires; when it is present If-Modified-Since is ignored, and an invalid date is ignored too.
 * Not fresh: it answers in full any request with Cache-Control: no-cache, even one whose tag matches.
 */
export function isNotModified(headers: ConditionalHeaders, { etag, lastModified }: Validators): boolean {
  const ifNoneMatch = headers['if-none-match']
  if (ifNoneMatch !== undefined) {
    const tags = listedTags(ifNoneMatch)
    return tags.includes('*') || tags.includes(etag)
  }
  const ifModifiedSince = headers['if-modified-since']
  if (ifModifiedSince === undefined || lastModified === undefined) return false
  const since = Date.parse(ifModifiedSince)
  return !Number.isNaN(since) && wholeSeconds(lastModified).getTime() <= since
}

/**
 * Whether an If-Match header holds for a resource whose current representation has `etag` (RFC 9110
 * §13.1.1): `*` holds for any, a tag only by strong comparison, so a weak tag never does. The tag of the
 * representation in a content coding stands for the same state, so it holds too.
 */
export function ifMatchHolds(header: string, etag: string): boolean {
  const tags = header.match(/\*|(?:W\/)?"[^"]*"/g) ?? []
  return tags.some((tag) => tag === '*' || tag === etag || CODINGS.some((coding) => tag === codedEntityTag(etag, coding)))
}

/** The headers of content, which a 304 does not send (RFC 9110 §15.4.5). */
export const NOT_MODIFIED_DROPS: readonly string[] = ['content-type', 'content-disposition', 'content-encoding']
