import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { LruMap } from '../lru-map.js'
import { NOT_MODIFIED_DROPS, type Validators } from './conditional.js'

/**
 * A complete 200 answer to a GET, kept to be given again: everything but the headers set per request
 * (the request id, the rate limit's, and those Node adds when sending).
 */
export interface StoredAnswer extends Validators {
  /** The route pattern that answered, for the metrics and the log line of a replay. */
  readonly route: string
  readonly headers: Readonly<Record<string, string | string[]>>
  readonly body: string | Buffer
  /** The headers of the 200, Content-Length included, as a flat name, value, … list for `writeHead`. */
  readonly headersOf200: readonly string[]
  /** The same for the 304 to a conditional GET: without the headers of content, nor Content-Length (see `notModified`). */
  readonly headersOf304: readonly string[]
}

/** Request headers an answer may Vary on and still be replayed: the key holds their values. */
const KEYED_HEADERS = ['accept', 'accept-encoding', 'origin'] as const

/** Whether every request header named by a Vary header is one the key holds. */
export function variesOnKeyedHeadersOnly(vary: OutgoingHttpHeaders[string]): boolean {
  if (vary === undefined) return true
  return String(vary)
    .split(',')
    .every((name) => (KEYED_HEADERS as readonly string[]).includes(name.trim().toLowerCase()))
}

function keyOf(url: string, headers: IncomingHttpHeaders): string {
  return `${url}\n${headers.accept ?? ''}\n${headers['accept-encoding'] ?? ''}\n${headers.origin ?? ''}`
}

function flat(headers: Readonly<Record<string, string | string[]>>, drop: readonly string[] = []): string[] {
  return Object.entries(headers).flatMap(([name, value]) => (drop.includes(name) ? [] : [value].flat().flatMap((one) => [name, one])))
}

/**
 * The answers kept for replaying, by URL (as the client sent it) and the values of the request headers
 * they may vary on, least recently used evicted. Only answers of the catalogue generation being served
 * are kept and found: the first lookup after a reload empties the store.
 */
export class ReplayStore {
  private readonly answers: LruMap<string, StoredAnswer>
  private storedGeneration: number

  /**
   * @param entries answers kept
   * @param generation the catalogue generation being served
   */
  constructor(
    entries: number,
    private readonly generation: () => number,
  ) {
    this.answers = new LruMap(entries)
    this.storedGeneration = generation()
  }

  /** The generation being served; a request's answer may be kept only if it is still the one served when it is sent. */
  current(): number {
    const current = this.generation()
    if (current !== this.storedGeneration) {
      this.answers.clear()
      this.storedGeneration = current
    }
    return current
  }

  find(url: string, headers: IncomingHttpHeaders): StoredAnswer | undefined {
    this.current()
    return this.answers.get(keyOf(url, headers))
  }

  /** Keeps the answer to a request that started on generation `startedOn`, unless a reload came since. */
  keep(
    url: string,
    headers: IncomingHttpHeaders,
    startedOn: number,
    answer: Pick<StoredAnswer, 'route' | 'headers' | 'body' | 'etag' | 'lastModified'>,
  ): void {
    if (startedOn !== this.current()) return
    const length = ['content-length', String(Buffer.byteLength(answer.body))]
    this.answers.set(keyOf(url, headers), {
      ...answer,
      headersOf200: [...flat(answer.headers), ...length],
      headersOf304: flat(answer.headers, NOT_MODIFIED_DROPS),
    })
  }
}
