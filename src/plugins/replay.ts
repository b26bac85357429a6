import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify'
import { isNotModified, notModified } from '../http/conditional.js'
import { LruMap } from '../lru-map.js'

/**
 * Why this exists: a cached citation or work costs citeserve 2 to 3 times the CPU of bare Fastify per
 * request, spread over zod validation, negotiation, style resolution, serialisation and the caching
 * hook (README "Performance"). Most traffic repeats the same few requests, so the answers of routes
 * marked `replay: true` are kept whole (status 200, headers, final body) and replayed to the next
 * request with the same URL and the same request headers the answer Varies on, skipping all of that.
 *
 * The replay happens in an onRequest hook that runs after those of the request id, metrics, draining,
 * security headers, CORS, limits and rate limit (it is added to each route after the rate limit's),
 * and is sent with `reply.send`, so the request id, the log line, the metrics, the rate limit and
 * `Connection: close` while draining apply to a replayed answer as to any other. Conditional requests
 * get their 304 from the stored ETag and Last-Modified. Only answers of the catalogue generation being
 * served are kept (a reload empties the store), never errors, `no-store` answers or streams.
 */
export interface ReplayRouteConfig {
  /**
   * The route's 200 answers to GET depend on nothing but the catalogue generation, the URL and the
   * Accept, Accept-Encoding and Origin headers (HEAD is answered from the GET answer).
   */
  readonly replay?: boolean
}

export interface ReplayOptions {
  /** Answers kept, least recently used evicted; 0 turns replaying off. */
  readonly entries: number
  /** The catalogue generation being served; a newer one empties the store. */
  readonly generation: () => number
}

/** Request headers an answer may Vary on and still be replayed: the key holds their values. */
const KEYED_HEADERS = ['accept', 'accept-encoding', 'origin'] as const
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

interface StoredAnswer {
  readonly headers: Readonly<Record<string, string | string[]>>
  readonly body: string | Buffer
  readonly etag: string
  readonly lastModified: Date
}

/** Whether every request header named by Vary is one the key holds. */
function variesOnKeyedHeadersOnly(vary: unknown): boolean {
  if (vary === undefined) return true
  return String(vary)
    .split(',')
    .every((name) => (KEYED_HEADERS as readonly string[]).includes(name.trim().toLowerCase()))
}

function keyOf(request: FastifyRequest): string {
  const { headers } = request
  return `${request.url}\n${headers.accept ?? ''}\n${headers['accept-encoding'] ?? ''}\n${headers.origin ?? ''}`
}

/** The answer to keep, if this one may be replayed. */
function storable(reply: FastifyReply, payload: unknown): StoredAnswer | undefined {
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
  return { headers, body: payload, etag, lastModified: new Date(lastModified) }
}

/** Requests answered from the store: the caching hook leaves their answer as it is. */
const replayed = new WeakSet<FastifyRequest>()

export function isReplayed(request: FastifyRequest): boolean {
  return replayed.has(request)
}

function replay(request: FastifyRequest, reply: FastifyReply, answer: StoredAnswer): void {
  replayed.add(request)
  reply.headers(answer.headers)
  reply.send(isNotModified(request.headers, answer) ? notModified(request, reply, answer.body) : answer.body)
}

/**
 * Replays the answers of routes marked `replay: true` (see above). Must be registered after the rate
 * limit and before the routes.
 */
export function registerReplay(app: FastifyInstance, { entries, generation }: ReplayOptions): void {
  if (entries === 0) return
  const store = new LruMap<string, StoredAnswer>(entries)
  let storedGeneration = 0
  // The generation a request started on: its answer is kept only if that is still the one served.
  const startedOn = new WeakMap<FastifyRequest, number>()

  const replayHook: onRequestHookHandler = (request, reply, done) => {
    const current = generation()
    if (current !== storedGeneration) {
      store.clear()
      storedGeneration = current
    }
    const answer = store.get(keyOf(request))
    if (answer === undefined) {
      startedOn.set(request, current)
      return done()
    }
    replay(request, reply, answer)
  }

  const keepHook: onSendHookHandler = (request, reply, payload, done) => {
    const answer = startedOn.get(request) === storedGeneration ? storable(reply, payload) : undefined
    if (answer !== undefined) store.set(keyOf(request), answer)
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
