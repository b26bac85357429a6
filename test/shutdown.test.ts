import { request, Agent, type IncomingMessage } from 'node:http'
import { connect } from 'node:net'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess } from './fixtures/server-process.js'

// Requests stay in flight honestly: each asks for a page of works far larger than the socket
// buffers between client and server, and the client stops reading after the first chunk, so the
// server is still sending the response, as it would to a slow client, until the client reads on.
const WORKS = 1000
const NOTE = 'A note long enough to make the page large. '.repeat(400)
const IN_FLIGHT = 4

interface SlowResponse {
  readonly response: IncomingMessage
  /** Reads the rest of the body and resolves with all of it. */
  readonly readToEnd: () => Promise<string>
}

/** Starts a GET and resolves once its first body chunk has arrived, with reading paused there. */
function startSlowRequest(url: string, agent: Agent): Promise<SlowResponse> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (response) => {
      const chunks: Buffer[] = []
      const ended = new Promise<string>((done, fail) => {
        response.on('end', () => done(Buffer.concat(chunks).toString()))
        response.on('error', fail)
        response.on('aborted', () => fail(new Error('response aborted')))
      })
      // Observed by readToEnd(); a test that never reads on must not see an unhandled rejection.
      ended.catch(() => {})
      response.once('data', () => {
        response.pause()
        resolve({ response, readToEnd: () => (response.resume(), ended) })
      })
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
    })
      .on('error', reject)
      .end()
  })
}

async function get(url: string, agent: Agent): Promise<{ status: number; connection: string | undefined; body: unknown }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (response) => {
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk.toString()))
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body: JSON.parse(text) }),
      )
    })
      .on('error', reject)
      .end()
  })
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

/** Tries new connections until one is refused, at most `attempts` times 50 ms apart. */
async function refusesNewConnections(port: number, attempts = 100): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await connectionRefused(port)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

describe('graceful shutdown of the real server', () => {
  let dataFile: string
  let server: ServerProcess | undefined
  const agents: Agent[] = []

  beforeAll(async () => {
    const directory = await mkdtemp(join(tmpdir(), 'citeserve-shutdown-'))
    dataFile = join(directory, 'works.json')
    const works = Array.from({ length: WORKS }, (_, index) => ({ id: `work-${index}`, type: 'book', title: `Work ${index}`, note: NOTE }))
    await writeFile(dataFile, JSON.stringify(works))
  })
  afterEach(() => {
    for (const agent of agents.splice(0)) agent.destroy()
    server?.child.kill('SIGKILL')
  })

  async function startServer(graceMs: number): Promise<{ base: string; port: number }> {
    server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1', DATA_FILE: dataFile, SHUTDOWN_GRACE_MS: String(graceMs), WARM_WORKS: '0' })
    const base = await server.ready()
    return { base, port: Number(new URL(base).port) }
  }

  function keepAliveAgent(): Agent {
    // Like a load balancer: keep-alive connections, one per request in flight.
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT })
    agents.push(agent)
    return agent
  }

  it('on SIGTERM refuses new connections, finishes every request in flight with 200, and exits 0', async () => {
    const { base, port } = await startServer(20_000)
    const running = server as ServerProcess
    const agent = keepAliveAgent()
    const slow = await Promise.all(Array.from({ length: IN_FLIGHT }, () => startSlowRequest(`${base}/works?rows=${WORKS}`, agent)))
    // A keep-alive connection that is idle when the signal comes, as a load balancer keeps them.
    const idle = new Agent({ keepAlive: true, maxSockets: 1 })
    agents.push(idle)
    expect((await get(`${base}/health/ready`, idle)).status).toBe(200)

    running.child.kill('SIGTERM')
    await running.waitForOutput(/shutting down: no new connections, finishing requests in flight/)
    expect(await refusesNewConnections(port)).toBe(true)
    // Still running: it waits for the requests in flight.
    expect(running.child.exitCode).toBeNull()
    // A request on the open keep-alive connection is still answered: not ready, and asked to close.
    const probe = await get(`${base}/health/ready`, idle)
    expect(probe).toEqual({ status: 503, connection: 'close', body: { status: 'unavailable', state: 'draining' } })

    const bodies = await Promise.all(slow.map(({ readToEnd }) => readToEnd()))
    for (const [index, { response }] of slow.entries()) {
      expect(response.statusCode, `request ${index}`).toBe(200)
      expect(response.complete, `request ${index}`).toBe(true)
    }
    for (const body of bodies) {
      expect(body.length).toBeGreaterThan(IN_FLIGHT * 1_000_000)
      const page = JSON.parse(body) as { message: { items: { id: string }[] } }
      expect(page.message.items.map((item) => item.id)).toEqual(Array.from({ length: WORKS }, (_, index) => `work-${index}`))
    }

    expect(await running.exited).toBe(0)
    const messages = running.logLines().map((line) => line.msg)
    // The slow pages; the health probes are not logged.
    expect(messages.filter((message) => message === 'request completed')).toHaveLength(IN_FLIGHT)
    // The render workers, started with the server, are stopped with the app.
    expect(messages.slice(-2)).toEqual(['CSL render workers stopped', 'shut down: every request finished'])
  })

  it('exits 1 when requests in flight outlast the grace period', async () => {
    const { base } = await startServer(500)
    const running = server as ServerProcess
    const stuck = await startSlowRequest(`${base}/works?rows=${WORKS}`, keepAliveAgent())

    running.child.kill('SIGTERM')
    expect(await running.exited).toBe(1)
    expect(running.logLines().map((line) => line.msg)).toContain('grace period over with requests still in flight: exiting anyway')
    await expect(stuck.readToEnd()).rejects.toThrow()
  })
  it('exits 1 at once on a second signal during shutdown', async () => {
    const { base } = await startServer(20_000)
    const running = server as ServerProcess
    const stuck = await startSlowRequest(`${base}/works?rows=${WORKS}`, keepAliveAgent())

    running.child.kill('SIGTERM')
    await running.waitForOutput(/shutting down/)
    running.child.kill('SIGINT')
    expect(await running.exited).toBe(1)
    expect(running.logLines().map((line) => line.msg)).toContain('second signal during shutdown: exiting now')
    await expect(stuck.readToEnd()).rejects.toThrow()
  })
})

describe('the access log at shutdown', () => {
  it('holds the line of every request answered just before SIGTERM', async () => {
    const server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1', WARM_WORKS: '0' })
    try {
      const base = await server.listening()
      const ids = Array.from({ length: 20 }, (_, index) => `before-sigterm-${index}`)
      await Promise.all(
        ids.map((id) => fetch(`${base}/works?rows=1`, { headers: { 'x-request-id': id } }).then((response) => response.text())),
      )
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
      const logged = server.logLines().filter((line) => line.msg === 'request completed')
      expect(logged.map((line) => line.reqId).sort()).toEqual([...ids].sort())
    } finally {
      server.child.kill('SIGKILL')
    }
  })
})
