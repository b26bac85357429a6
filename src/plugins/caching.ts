import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { codedEntityTag, entityTag, isNotModified, NOT_MODIFIED_DROPS, wholeSeconds } from '../http/conditional.js'
import { chooseContentCoding, compress, MIN_COMPRESSED_SIZE } from '../http/encoding.js'
import { addVary } from '../http/vary.js'

export interface CachingOptions {
  /** Seconds shared caches and browsers may reuse a response without asking again. */
  readonly maxAge: number
}

declare module 'fastify' {
  interface FastifyReply {
    /**
     * When the data the body was built from last changed, set by the route that built it (a work's
     * time of change, or the catalogue's for a list): the response's Last-Modified. None, none sent.
     */
    lastModified: Date | null
  }
  interface FastifyContextConfig {
    /**
     * `false` marks responses no cache may store (the health probes); `'immutable'` those whose URL
     * changes whenever their content does (the pages' fingerprinted assets).
     */
    readonly cache?: false | 'immutable'
  }
}

const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * Turns an answer into 304 Not Modified, without the headers of content, in an onSend hook (before
 * `send`, Fastify would give the body a Content-Type of its own); returns the payload to send on.
 * A 304 has no content. To GET: `null`, as `undefined` would leave the body in place for Fastify to
 * give a Content-Length that naive clients wait for. To HEAD: the body, which Fastify's HEAD handling
 * measures for the Content-Length the 200 would have had (as RFC 9110 §8.6 allows).
 */
function notModified<Body>(request: FastifyRequest, reply: FastifyReply, body: Body): Body | null {
  reply.code(304)
  for (const name of NOT_MODIFIED_DROPS) reply.removeHeader(name)
  return request.method === 'GET' ? null : body
}

/**
 * Formats a Last-Modified date, again only when the date is another object than last time: requests
 * for the same work or list in a row, the common case of a cached answer, share one formatting.
 */
function lastModifiedHeader(): (modified: Date) => { date: Date; text: string } {
  let source: Date | undefined
  let formatted = { date: new Date(0), text: '' }
  return (modified) => {
    if (modified !== source) {
      source = modified
      const date = wholeSeconds(modified)
      formatted = { date, text: date.toUTCString() }
    }
    return formatted
  }
}

/** Whether a body is at least `bytes` long in UTF-8, without measuring a long text whole. */
function isAtLeast(payload: string | Buffer, bytes: number): boolean {
  // A string's UTF-8 bytes are never fewer than its UTF-16 code units.
  if (typeof payload === 'string' && payload.length >= bytes) return true
  return Buffer.byteLength(payload) >= bytes
}

/**
 * Makes every successful GET and HEAD cacheable and revalidatable: a strong ETag computed from the body,
 * Last-Modified (when the route set the time of change of what it built the body from), Cache-Control,
 * 304 for a matching If-None-Match or If-Modified-Since, and brotli or gzip for larger bodies when the
 * client accepts them. (Problems are marked no-store where they are sent.)
 *
 * A route that already knows the tag of its identity body (a cached rendering, tagged when rendered)
 * sets ETag itself, and the body is not digested again on every request.
 */
export const cachingPlugin = fp<CachingOptions>(
  async (app, { maxAge }) => {
    const cacheControl = maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache'
    const format = lastModifiedHeader()
    app.decorateReply('lastModified', null)

    // A callback hook rather than an async one: it runs on every response, and only compression waits.
    app.addHook('onSend', (request, reply, payload: unknown, done) => {
      const { cache } = request.routeOptions.config
      if (cache === false) {
        reply.header('cache-control', 'no-store')
        return done(null, payload)
      }
      const cacheable = reply.statusCode === 200 && (request.method === 'GET' || request.method === 'HEAD')
      if (!cacheable) return done(null, payload)
      // Streams come without an ETag: the static files of /docs with validators of their own, exports
      // (sent as they are rendered) with Last-Modified only, which is not revalidated.
      if (!(typeof payload === 'string' || Buffer.isBuffer(payload))) {
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', cacheControl)
        if (reply.lastModified !== null) reply.header('last-modified', format(reply.lastModified).text)
        return done(null, payload)
      }

      const compressible = isAtLeast(payload, MIN_COMPRESSED_SIZE)
      const coding = compressible ? chooseContentCoding(request.headers['accept-encoding']) : undefined
      if (compressible) addVary(reply, 'Accept-Encoding')
      // A text body to compress is encoded once, for both its tag and its compression.
      const body = coding !== undefined && typeof payload === 'string' ? Buffer.from(payload) : payload
      const known = reply.getHeader('etag')
      const identityTag = typeof known === 'string' ? known : entityTag(String(reply.getHeader('content-type') ?? ''), body)
      const etag = coding === undefined ? identityTag : codedEntityTag(identityTag, coding)
      const modified = reply.lastModified === null ? undefined : format(reply.lastModified)
      reply.header('etag', etag).header('cache-control', cache === 'immutable' ? IMMUTABLE : cacheControl)
      if (modified !== undefined) reply.header('last-modified', modified.text)

      if (isNotModified(request.headers, { etag, lastModified: modified?.date })) return done(null, notModified(request, reply, payload))
      if (coding === undefined) return done(null, payload)
      reply.header('content-encoding', coding)
      compress(body, coding).then(
        (compressed) => done(null, compressed),
        (error: Error) => done(error),
      )
    })
  },
  { name: 'citeserve-caching', fastify: '5.x' },
)
