// Content codings (RFC 9110 §8.4 and §12.5.3): which one a client accepts, and compressing with it.
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

export type ContentCoding = 'br' | 'gzip'

/** In the server's order of preference when the client gives both the same weight. */
export const CODINGS: readonly ContentCoding[] = ['br', 'gzip']

/** Bodies smaller than this are sent as they are: compressing them saves less than it costs. */
export const MIN_COMPRESSED_SIZE = 1024

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/** The q-value of each coding an Accept-Encoding header lists; malformed members are left out. */
function weights(header: string): Map<string, number> {
  const listed = new Map<string, number>()
  for (const member of header.split(',')) {
    const [name = '', ...parameters] = member.split(';').map((part) => part.trim().toLowerCase())
    if (!/^[a-z0-9*_.+-]+$/.test(name)) continue
    let q = 1
    for (const parameter of parameters) {
      const match = /^q=(.*)$/.exec(parameter)
      if (match) q = QVALUE.test(match[1] as string) ? Number(match[1]) : Number.NaN
    }
    if (!Number.isNaN(q)) listed.set(name === 'x-gzip' ? 'gzip' : name, q)
  }
  return listed
}

/**
 * Not negotiator or @fastify/accept-negotiator: both take a q-value above 1 as a weight, and neither
 * reads x-gzip as gzip (RFC 9110 §8.4.1.3).
 *
 * The coding to send a body in, or undefined for none: the accepted coding with the highest q-value,
 * brotli first on a tie. Without an Accept-Encoding header the body is sent as it is.
 */
export function chooseContentCoding(acceptEncoding: string | undefined): ContentCoding | undefined {
  if (acceptEncoding === undefined) return undefined
  const listed = weights(acceptEncoding)
  let best: { coding: ContentCoding; q: number } | undefined
  for (const coding of CODINGS) {
    const q = listed.get(coding) ?? listed.get('*') ?? 0
    if (q > 0 && (!best || q > best.q)) best = { coding, q }
  }
  return best?.coding
}

const brotliCompressAsync = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

const compressors = {
  // Quality 4 of 11: smaller than gzip at about its speed; quality 11 takes 50 times longer.
  br: (body: Buffer) => brotliCompressAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
  gzip: (body: Buffer) => gzipAsync(body),
} satisfies Record<ContentCoding, (body: Buffer) => Promise<Buffer>>

export function compress(body: string | Buffer, coding: ContentCoding): Promise<Buffer> {
  return compressors[coding](typeof body === 'string' ? Buffer.from(body) : body)
}
