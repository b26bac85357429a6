import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { connect, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { problemSchema } from '../../src/http/problem.js'
import { appWith, richItem, seed } from '../fixtures/works.js'
import { hostileRequest, METHODS, type HostileRequest } from './requests.js'

// Property-based abuse: whatever is thrown at the app, no answer is a 500, every error is a valid
// problem+json naming its status and request id, nothing leaks the server's files, and the app keeps
// serving. Bounded by numRuns so that it takes seconds, with a fixed seed so that a run can be
// repeated; ABUSE_RUNS multiplies the runs and ABUSE_SEED changes the seed, for a longer search by hand.

const SCALE = Number(process.env.ABUSE_RUNS ?? 1)
const SEED = Number(process.env.ABUSE_SEED ?? 20261126)
const INJECT_RUNS = 500 * SCALE
const RAW_RUNS = 200 * SCALE

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const LEAKS = new RegExp(`\\n\\s+at |node_modules|${ROOT.replaceAll('/', '\\/')}|\\.ts:\\d+`)

interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

function checkAnswer(method: string, { status, headers, body }: Answer): void {
  expect(status).toBeGreaterThanOrEqual(200)
  expect(status).toBeLessThan(500)
  if (method === 'HEAD' || status === 204 || status === 304) {
    expect(body).toBe('')
    return
  }
  if (status < 400) return
  expect(headers['content-type']).toBe('application/problem+json; charset=utf-8')
  expect(headers['cache-control']).toBe('no-store')
  const problem = problemSchema.strict().parse(JSON.parse(body))
  expect(problem.status).toBe(status)
  expect(problem.type).toMatch(/^\/problems\/[a-z-]+$/)
  expect(problem.requestId).toBe(headers['x-request-id'])
  expect(body).not.toMatch(LEAKS)
}

function tally(statuses: Map<number, number>, status: number): void {
  statuses.set(status, (statuses.get(status) ?? 0) + 1)
}

function summary(statuses: Map<number, number>): string {
  return [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ')
}

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed, richItem)
})
afterAll(() => app.close())

async function stillServes(request: (url: string) => Promise<number>): Promise<void> {
  expect(await request('/health/live')).toBe(200)
  expect(await request('/works/interleukin-2-in-cancer-2005/citation?format=ris')).toBe(200)
}

describe('abuse through inject()', () => {
  it('never answers 500, answers every error with valid problem+json, and keeps serving', async () => {
    const statuses = new Map<number, number>()
    await fc.assert(
      // inject() parses the URL with WHATWG URL, which refuses some (/\\<); the raw test below sends those.
      fc.asyncProperty(
        hostileRequest(METHODS).filter(({ url }) => URL.canParse(url, 'http://localhost')),
        async ({ method, url, headers }: HostileRequest) => {
          const response = await app.inject({ method: method as 'GET', url, headers })
          tally(statuses, response.statusCode)
          checkAnswer(method, { status: response.statusCode, headers: response.headers as Record<string, string>, body: response.body })
        },
      ),
      { numRuns: INJECT_RUNS, seed: SEED },
    )
    console.info(`abuse via inject(), ${INJECT_RUNS} requests (seed ${SEED}): ${summary(statuses)}`)
    await stillServes(async (url) => (await app.inject(url)).statusCode)
  })
})

/** One request as raw bytes on a fresh connection; resolves with the answer once the server closes it. */
function exchange(port: number, request: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(request.slice(0, 200))}`)))
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const raw = Buffer.concat(chunks)
      const end = raw.indexOf('\r\n\r\n')
      const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n')
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      )
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: raw.subarray(end + 4).toString('utf8') })
    })
  })
}

describe('abuse on a real port, as raw bytes', () => {
  let port: number
  beforeAll(async () => {
    await app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.address() as AddressInfo).port
  })

  it('answers what Node’s parser refuses as problems too, and keeps serving', async () => {
    const statuses = new Map<number, number>()
    const rawRequest = fc.tuple(
      hostileRequest([...METHODS, 'TRACE', 'PROPFIND', 'get', 'BREW', 'G ET']),
      fc.constantFrom('', '', '', '#fragment', ' x', 'é', '\t', '%'),
    )
    await fc.assert(
      fc.asyncProperty(rawRequest, async ([{ method, url, headers }, suffix]) => {
        const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`)
        const answer = await exchange(
          port,
          `${method} ${url}${suffix} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join('')}Connection: close\r\n\r\n`,
        )
        tally(statuses, answer.status)
        checkAnswer(method, answer)
      }),
      { numRuns: RAW_RUNS, seed: SEED },
    )
    console.info(`abuse on a port, ${RAW_RUNS} requests (seed ${SEED}): ${summary(statuses)}`)
    await stillServes(async (url) => (await fetch(`http://127.0.0.1:${port}${url}`)).status)
  })
})
