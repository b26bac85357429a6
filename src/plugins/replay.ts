import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify'
import { variesOnKeyedHeadersOnly, type ReplayStore, type StoredAnswer } from '../http/replay-store.js'
import { UNMATCHED_ROUTE } from '../metrics.js'

/**
 * Why this exists: a cached citation or work costs citeserve 2 to 3 times the CPU of bare Fastify per
 * request, spread over zod validation, negotiation, style resolution, serialisation and the caching
 * hook (docs/performance.md). Most traffic repeats the same few requests, so the answers of routes
 * marked `replay: true` are kept whole (status 200, headers, final body) and replayed to the next
 * request with the same URL and the same request headers the answer Varies on, skipping all of that.
 *
 * Replays are given in two places, from one store (src/http/replay-store.ts):
 * - in front of Fastify, by the server's request listener (src/http/replay-front.ts), whenever nothing
 *   about the client or the process changes the answer: the usual case, and the cheapest;
 * - here, in an onRequest hook that runs after those of the request id, metrics, draining, security
 *   headers, CORS, limits and rate limit (it is added to each route after the rate limit's), when the
 *   front passes a request on: while draining, under a rate limit, and for `inject`. It is sent with
 *   `reply.send`, so the request id, the log line, the metrics, the rate limit and `Connection: close`
 *   while draining apply to it as to any other answer.
 * Conditional requests get their 304 from the stored ETag and Last-Modified. Only answers of the
 * catalogue generation being served are kept, never errors, `no-store` answers or streams.
 */
export interface ReplayRouteConfig {
  /**
   * The route's 200 answers to GET depend on nothing but the catalogue generation, the URL and the
   * Accept, Accept-Encoding and Origin headers (HEAD is answered from the GET answer).
   */
  readonly replay?: boolean
}

/** Headers set per request (by earlier hooks, or by Node and Fastify when sending), never stored. */
const PER_REQUEST_HEADERS = new Set([
  'x-request-id',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
  'connection',
  'content-length',
  'date',
])
/** Larger answers (long lists) are not kept, so that the store's memory stays bounded by `entries` × this. */
export const MAX_REPLAYED_BYTES = 64 * 1024

/** The answer to keep, if this one may be replayed. */
function storable(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (reply.statusCode !== 200 || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return undefined
  if (Buffer.byteLength(payload) > MAX_REPLAYED_BYTES) return undefined
  const all = reply.getHeaders()
  const { etag, 'last-modified': lastModified, 'cache-control': cacheControl, vary } = all
  if (typeof etag !== 'string' || typeof lastModified !== 'string' || String(cacheControl).includes('no-store')) return undefined
  if (!variesOnKeyedHeadersOnly(vary)) return undefined
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(all)) {
    if (value !== undefined && !PER_REQUEST_HEADERS.has(name)) headers[name] = typeof value === 'number' ? String(value) : value
  }
  return { route: request.routeOptions.url ?? UNMATCHED_ROUTE, headers, body: payload, etag, lastModified: new Date(lastModified) }
}

/** Requests answered from the store, with the answer: the caching hook only turns it into a 304 where one is due. */
const replayed = new WeakMap<FastifyRequest, StoredAnswer>()

export function replayedAnswer(request: FastifyRequest): StoredAnswer | undefined {
  return replayed.get(request)
}

function replay(request: FastifyRequest, reply: FastifyReply, answer: StoredAnswer): void {
  replayed.set(request, answer)
  reply.headers(answer.headers)
  reply.send(answer.body)
}

/**
 * Keeps the answers of routes marked `replay: true` in `store` and replays them (see above). Must be
 * registered after the rate limit and before the routes.
 */
export function registerReplay(app: FastifyInstance, store: ReplayStore): void {
  // The generation a request started on: its answer is kept only if that is still the one served.
  const startedOn = new WeakMap<FastifyRequest, number>()

  const replayHook: onRequestHookHandler = (request, reply, done) => {
    const answer = store.find(request.originalUrl, request.headers)
    if (answer === undefined) {
      startedOn.set(request, store.current())
      return done()
    }
    replay(request, reply, answer)
  }

  const keepHook: onSendHookHandler = (request, reply, payload, done) => {
    const generation = startedOn.get(request)
    const answer = generation === undefined ? undefined : storable(request, reply, payload)
    if (answer !== undefined) store.keep(request.originalUrl, request.headers, generation as number, answer)
    done(null, payload)
  }

  app.addHook('onRoute', (route) => {
    if ((route.config as ReplayRouteConfig | undefined)?.replay !== true) return
    const methods = [route.method].flat()
    if (methods.includes('GET')) {
      route.onRequest = [route.onRequest ?? []].flat().concat(replayHook)
      route.onSend = [route.onSend ?? []].flat().concat(keepHook)
    } else if (methods.includes('HEAD')) {
      route.onRequest = [route.onRequest ?? []].flat().concat(replayHook)
    }
  })
}
