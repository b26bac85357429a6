import type { FastifyInstance } from 'fastify'
import { once } from 'node:events'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { problemSchema } from '../../src/http/problem.js'
import { testApp } from '../fixtures/app.js'
import { seed } from '../fixtures/works.js'

// The limits on what clients can make the server hold, on a real port: a deadline for the whole
// answer, and caps on open connections and on one client's requests in flight.

let app: FastifyInstance | undefined
const streams: Readable[] = []
afterEach(async () => {
  streams.length = 0
  await app?.close()
  app = undefined
})

/** The app with the given settings and a route whose answer never ends, as one a client does not read. */
async function listening(env: Record<string, string>): Promise<number> {
  app = await testApp({ items: [seed], config: loadConfig(env) })
  app.get('/test/endless', async (_request, reply) => {
    const stream = new Readable({ read() {} })
    stream.push('the start of an answer that never ends\n')
    streams.push(stream)
    return reply.type('text/plain').send(stream)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as AddressInfo).port
}

/** A connection that has sent one GET and collects what comes back. */
async function requestOn(port: number, path: string, headers = ''): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let text = ''
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`)
  return { socket, received: () => text }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}

function problemIn(raw: string): { status: number; headers: string; body: ReturnType<typeof problemSchema.parse> } {
  const end = raw.indexOf('\r\n\r\n')
  const headers = raw.slice(0, end)
  const body = raw.slice(end + 4)
  return {
    status: Number(headers.split(' ')[1]),
    headers,
    body: problemSchema.parse(JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1))),
  }
}

describe('exchange limits', () => {
  const cutOff = [
    ['an answer not taken by the deadline', { EXCHANGE_TIMEOUT: '1' }],
    ['a connection on which nothing moves, however long the exchange may take', { IDLE_TIMEOUT: '1' }],
  ] as const
  for (const [what, settings] of cutOff) {
    it(`closes ${what}, and drops what the answer held`, async () => {
      const port = await listening(settings)
      const { socket, received } = await requestOn(port, '/test/endless')
      await until(() => received().includes('the start of an answer'))
      await once(socket, 'close')
      await until(() => streams[0]?.destroyed === true)
      // Other clients are served on.
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200)
    })
  }

  it('refuses a client’s requests beyond its cap with a 429 problem, counting clients as TRUST_PROXY says', async () => {
    const port = await listening({ MAX_CLIENT_REQUESTS: '2', TRUST_PROXY: 'true' })
    const held = [await requestOn(port, '/test/endless'), await requestOn(port, '/test/endless')]
    for (const { received } of held) await until(() => received().includes('the start of an answer'))
    const refused = await fetch(`http://127.0.0.1:${port}/works`)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(problemSchema.parse(await refused.json()).detail).toMatch(/2 requests in flight/)
    // Another client behind the proxy, and the health probes, are served.
    expect((await fetch(`http://127.0.0.1:${port}/works`, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200)
    // Once a held request is given up, the client may ask again.
    held[0]?.socket.destroy()
    await until(() => streams[0]?.destroyed === true)
    expect((await fetch(`http://127.0.0.1:${port}/works`)).status).toBe(200)
    held[1]?.socket.destroy()
  })

  it('refuses requests beyond the cap on open connections with a 503 problem and closes the connection', async () => {
    const port = await listening({ MAX_CONNECTIONS: '2' })
    const held = [await requestOn(port, '/test/endless'), await requestOn(port, '/test/endless')]
    for (const { received } of held) await until(() => received().includes('the start of an answer'))
    const third = await requestOn(port, '/works')
    await once(third.socket, 'close')
    const { status, headers, body } = problemIn(third.received())
    expect(status).toBe(503)
    expect(headers).toMatch(/\r\nretry-after: 1\r\n/i)
    expect(headers).toMatch(/\r\nconnection: close\r\n/i)
    expect(body.type).toBe('/problems/service-busy')
    for (const { socket } of held) socket.destroy()
  })
})
