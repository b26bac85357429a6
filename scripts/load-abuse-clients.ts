// The attacking clients of the load test under abuse (scripts/load-abuse.ts), in a process of their
// own so that reading eight large exports at once does not slow the normal traffic's client or the
// health probe: 40 clients that ask for an export and never read it, 8 that export over and over, and
// steady requests for unknown styles and style searches. Each kind has its own address
// (X-Forwarded-For). It runs for LOAD_SECONDS and sends its tallies to the parent.
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'

const SECONDS = Number(process.env.LOAD_SECONDS ?? 45)
const BASE = process.env.LOAD_BASE ?? ''
const WORKS = 10_000
const NON_READERS = Number(process.env.LOAD_NON_READERS ?? 40)
const EXPORTERS = Number(process.env.LOAD_EXPORTERS ?? 8)
const UNKNOWN_STYLES_PER_SECOND = 20
const STYLE_SEARCHES_PER_SECOND = 20
const EXPORT_FORMATS = ['bibtex', 'ris', 'endnote', 'csl-json', 'schema-org']

/** Random lower-case letters and hyphens: a style name nobody has. */
const randomName = (length: number) => Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz-'[Math.floor(Math.random() * 27)]).join('')

/** What one kind of client got: answers by status, and the messages of requests that got none. */
export interface Tally {
  done: number
  failed: number
  readonly statuses: Record<number, number>
  readonly errors: string[]
}
const tally = (): Tally => ({ done: 0, failed: 0, statuses: {}, errors: [] })
const count = (into: Tally, status: number, expected: number) => {
  into.done++
  into.statuses[status] = (into.statuses[status] ?? 0) + 1
  // A refusal that says when to come back is an answer, not a failure.
  if (status !== expected && status !== 503) into.failed++
}
const failure = (into: Tally, error: unknown, expected: number) => {
  count(into, 0, expected)
  const message =
    error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error)
  if (!into.errors.includes(message)) into.errors.push(message)
}

export interface AttackReport {
  readonly exports: Tally
  readonly unknownStyles: Tally
  readonly styleSearches: Tally
  /** How many of the non-reading clients got an export rather than a 503. */
  readonly nonReadersExporting: number
  /** How many of those exports the server had cut off by the end. */
  readonly nonReadersCutOff: number
}

/** A client that asks for a whole export and reads nothing: what it costs the server is what the server holds for it. */
async function nonReader(index: number): Promise<Socket> {
  const socket = connect(Number(new URL(BASE).port), '127.0.0.1')
  await once(socket, 'connect')
  socket.pause()
  socket.on('error', () => undefined)
  socket.write(
    `GET /citations?format=schema-org&rows=${WORKS} HTTP/1.1\r\nHost: load\r\nX-Forwarded-For: 10.1.0.${index}\r\nAccept-Encoding: identity\r\n\r\n`,
  )
  return socket
}

/**
 * What became of a client that never read: whether it got an export at all (others got a 503), and
 * whether the server cut that export off. A paused socket sees the server's close only once it reads
 * again: it reads what is left, and a close before the chunked body's last chunk is the server's doing.
 */
async function fate(socket: Socket): Promise<{ exporting: boolean; cutOff: boolean }> {
  let head = ''
  let tail = ''
  socket.on('data', (chunk: Buffer) => {
    const text = chunk.toString('latin1')
    if (head.length < 12) head += text.slice(0, 12)
    tail = (tail + text).slice(-8)
  })
  const closed = once(socket, 'close').then(() => true)
  socket.resume()
  const ended = await Promise.race([closed, new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false))])
  const exporting = head.startsWith('HTTP/1.1 200')
  return { exporting, cutOff: exporting && ended && !tail.endsWith('\r\n0\r\n\r\n') }
}

async function exporter(index: number, until: number, exports: Tally): Promise<void> {
  for (let round = 0; Date.now() < until; round++) {
    const format = EXPORT_FORMATS[(index + round) % EXPORT_FORMATS.length] as string
    try {
      const response = await fetch(`${BASE}/citations?format=${format}&rows=${WORKS}`, {
        headers: { 'x-forwarded-for': `10.2.0.${index}`, 'accept-encoding': 'identity' },
      })
      // Read and dropped as it comes, as a client saving the file does.
      for await (const chunk of response.body ?? []) void chunk
      count(exports, response.status, 200)
      const retryAfter = response.status === 503 ? Number(response.headers.get('retry-after') ?? 1) : 0
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000))
    } catch (error) {
      failure(exports, error, 200)
    }
  }
}

/** `perSecond` requests a second for `path()`, from their own address, until the end; each counted against `expected`. */
function steady(perSecond: number, address: string, path: () => string, expected: number, into: Tally): NodeJS.Timeout {
  return setInterval(() => {
    fetch(`${BASE}${path()}`, { headers: { 'x-forwarded-for': address } }).then(
      async (response) => {
        await response.arrayBuffer()
        count(into, response.status, expected)
      },
      (error: unknown) => failure(into, error, expected),
    )
  }, 1000 / perSecond)
}

const until = Date.now() + SECONDS * 1000
const sockets: Socket[] = []
for (let index = 0; index < NON_READERS; index++) sockets.push(await nonReader(index))
const exports = tally()
const exporting = Array.from({ length: EXPORTERS }, (_, index) => exporter(index, until, exports))
const unknownStyles = tally()
const styleSearches = tally()
const timers = [
  steady(
    UNKNOWN_STYLES_PER_SECOND,
    '10.3.0.1',
    () => `/works/synthetic-1/citation?format=bibliography&style=${randomName(60)}`,
    400,
    unknownStyles,
  ),
  steady(STYLE_SEARCHES_PER_SECOND, '10.3.0.2', () => `/styles?query=${randomName(1 + Math.floor(Math.random() * 6))}`, 200, styleSearches),
]
await new Promise((resolve) => setTimeout(resolve, until - Date.now()))
timers.forEach(clearInterval)
await Promise.all(exporting)
const fates = await Promise.all(sockets.map(fate))
const report: AttackReport = {
  exports,
  unknownStyles,
  styleSearches,
  nonReadersExporting: fates.filter((each) => each.exporting).length,
  nonReadersCutOff: fates.filter((each) => each.cutOff).length,
}
for (const socket of sockets) socket.destroy()
process.send?.(report)
process.disconnect()
