import type { FastifyInstance } from 'fastify'
import { codedEntityTag, entityTag, isNotModified, notModified, wholeSeconds } from '../http/conditional.js'
import { chooseContentCoding, compress, MIN_COMPRESSED_SIZE } from '../http/encoding.js'
import { addVary } from '../http/vary.js'
import { replayedAnswer } from './replay.js'

export interface CachingOptions {
  /** Seconds shared caches and browsers may reuse a response without asking again. */
  readonly maxAge: number
  /** When the data behind every representation last changed: the catalogue being served, which reloads replace. */
  readonly lastModified: () => Date
}

/**
 * Route config: `cache: false` marks responses no cache may store (the health probes); `'immutable'`
 * those whose URL changes whenever their content does (the pages' fingerprinted assets).
 */
interface CachingRouteConfig {
  readonly cache?: false | 'immutable'
}

const IMMUTABLE = 'public, max-age=31536000, immutable'

/** The Last-Modified of the catalogue being served, formatted once per catalogue rather than per request. */
function lastModifiedHeader(lastModified: () => Date): () => { date: Date; text: string } {
  let source: Date | undefined
  let formatted = { date: new Date(0), text: '' }
  return () => {
    const current = lastModified()
    if (current !== source) {
      source = current
      const date = wholeSeconds(current)
      formatted = { date, text: date.toUTCString() }
    }
    return formatted
  }
}

/**
 * Makes every successful GET and HEAD cacheable and revalidatable: a strong ETag computed from the body,
 * Last-Modified, Cache-Control, 304 for a matching If-None-Match or If-Modified-Since, and brotli or gzip
 * for larger bodies when the client accepts them. (Problems are marked no-store where they are sent.)
 *
 * A route that already knows the tag of its identity body (a cached rendering, tagged when rendered)
 * sets ETag itself, and the body is not digested again on every request.
 */
export function registerCaching(app: FastifyInstance, { maxAge, lastModified }: CachingOptions): void {
  const cacheControl = maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache'
  const modifiedNow = lastModifiedHeader(lastModified)

  // A callback hook rather than an async one: it runs on every response, and only compression waits.
  app.addHook('onSend', (request, reply, payload: unknown, done) => {
    // A replayed answer is sent as it was kept, tagged and compressed: only the 304 is decided here.
    const replayed = replayedAnswer(request)
    if (replayed !== undefined) return done(null, isNotModified(request.headers, replayed) ? notModified(request, reply, payload) : payload)
    const { cache } = request.routeOptions.config as CachingRouteConfig
    if (cache === false) {
      reply.header('cache-control', 'no-store')
      return done(null, payload)
    }
    const cacheable = reply.statusCode === 200 && (request.method === 'GET' || request.method === 'HEAD')
    // Streams (the static files of /docs) come with validators of their own.
    if (!cacheable || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return done(null, payload)

    const compressible = Buffer.byteLength(payload) >= MIN_COMPRESSED_SIZE
    const coding = compressible ? chooseContentCoding(request.headers['accept-encoding']) : undefined
    if (compressible) addVary(reply, 'Accept-Encoding')
    const known = reply.getHeader('etag')
    const identityTag = typeof known === 'string' ? known : entityTag(String(reply.getHeader('content-type') ?? ''), payload)
    const etag = coding === undefined ? identityTag : codedEntityTag(identityTag, coding)
    const modified = modifiedNow()
    reply
      .header('etag', etag)
      .header('last-modified', modified.text)
      .header('cache-control', cache === 'immutable' ? IMMUTABLE : cacheControl)

    if (isNotModified(request.headers, { etag, lastModified: modified.date })) return done(null, notModified(request, reply, payload))
    if (coding === undefined) return done(null, payload)
    reply.header('content-encoding', coding)
    compress(payload, coding).then(
      (compressed) => done(null, compressed),
      (error: Error) => done(error),
    )
  })
}
