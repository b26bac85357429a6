import type { FastifyInstance } from 'fastify'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from '../fixtures/app.js'
import { problemSchema } from '../../src/http/problem.js'
import { loadConfig } from '../../src/config.js'
import { MAX_HEADER_SIZE, MAX_URL_LENGTH } from '../../src/plugins/limits.js'
import { appWith, seed } from '../fixtures/works.js'

const SEED = '/works/interleukin-2-in-cancer-2005'

function expectProblem(response: Awaited<ReturnType<FastifyInstance['inject']>>, status: number, type: string) {
  expect(response.statusCode).toBe(status)
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  const body = problemSchema.parse(response.json())
  expect(body).toMatchObject({ status, type })
  return body
}

describe('methods', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await appWith(seed)
  })
  afterAll(() => app.close())

  // What each URL serves: reads everywhere, and the writes on theirs.
  const ALLOWED: Record<string, string> = {
    '/works': 'GET, HEAD, POST, OPTIONS',
    [SEED]: 'GET, HEAD, PUT, DELETE, OPTIONS',
    [`${SEED}/citation`]: 'GET, HEAD, OPTIONS',
    '/health/ready': 'GET, HEAD, OPTIONS',
  }

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)(
    'answers %s on an existing route that does not serve it with 405 and Allow',
    async (method) => {
      for (const [url, allow] of Object.entries(ALLOWED)) {
        if (allow.includes(method)) continue
        const response = await app.inject({ method, url })
        const body = expectProblem(response, 405, '/problems/method-not-allowed')
        expect(response.headers.allow).toBe(allow)
        expect(body.detail).toBe(`${method} is not served here; this URL serves ${allow}.`)
      }
    },
  )

  it('answers 405 before reading a body, whatever its type', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: '/works',
      headers: { 'content-type': 'application/x-weird' },
      payload: 'x'.repeat(2_000_000),
    })
    expectProblem(response, 405, '/problems/method-not-allowed')
  })

  it('answers another method on a path that does not exist with 404', async () => {
    expectProblem(await app.inject({ method: 'DELETE', url: '/nowhere' }), 404, '/problems/not-found')
  })

  it('answers a plain OPTIONS with 204 and Allow', async () => {
    const response = await app.inject({ method: 'OPTIONS', url: SEED })
    expect(response.statusCode).toBe(204)
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS')
  })
})

describe('request size', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await appWith(seed)
  })
  afterAll(() => app.close())

  it('refuses content on a GET with 413', async () => {
    const body = expectProblem(await app.inject({ url: '/works', payload: 'hello' }), 413, '/problems/content-too-large')
    expect(body.detail).toBe('A GET request must have no content; this API takes none.')
    const head = await app.inject({ method: 'HEAD', url: '/works', headers: { 'transfer-encoding': 'chunked' }, payload: 'x' })
    expect(head.statusCode).toBe(413)
    expect(head.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect((await app.inject({ url: '/works', headers: { 'content-length': '0' } })).statusCode).toBe(200)
  })

  it(`answers a URL longer than ${MAX_URL_LENGTH} characters with 414`, async () => {
    const url = `/works?query=${'a'.repeat(MAX_URL_LENGTH)}`
    const body = expectProblem(await app.inject(url), 414, '/problems/uri-too-long')
    expect(body.detail).toBe(`The URL has ${url.length} characters; at most ${MAX_URL_LENGTH} are served.`)
  })

  it('answers a path segment too long for the router with 414 too', async () => {
    expectProblem(await app.inject(`/works/${'a'.repeat(3000)}`), 414, '/problems/uri-too-long')
  })
})

describe('timeouts', () => {
  it('answer a handler that takes too long with 503', async () => {
    const app = await testApp({ items: [seed], config: loadConfig({ REQUEST_TIMEOUT: '1' }) })
    app.get('/slow', async () => new Promise((resolve) => setTimeout(() => resolve('late'), 3000)))
    const body = expectProblem(await app.inject('/slow'), 503, '/problems/response-timeout')
    expect(body.detail).toBe('The server did not answer within 1 s; try again later.')
    await app.close()
  })
})

/** Sends raw bytes to the server and resolves with everything it answers until it closes the connection. */
function exchange(port: number, ...chunks: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = ''
    const socket = connect(port, '127.0.0.1', () => {
      for (const chunk of chunks) socket.write(chunk)
    })
    socket.on('data', (data) => (answer += data.toString('latin1')))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}

function problemOf(answer: string): { status: number; headers: string; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  return { status: Number(head.split(' ')[1]), headers: head, body: problemSchema.parse(JSON.parse(body)) }
}

describe('what Node refuses before Fastify, on a real port', () => {
  let app: FastifyInstance
  let port: number
  beforeAll(async () => {
    app = await testApp({ items: [seed], config: loadConfig({ REQUEST_TIMEOUT: '1' }) })
    await app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.address() as AddressInfo).port
  })
  afterAll(() => app.close())

  it(`answers headers over ${MAX_HEADER_SIZE} bytes with a 431 problem`, async () => {
    const answer = problemOf(await exchange(port, `GET /works HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(MAX_HEADER_SIZE)}\r\n\r\n`))
    expect(answer.status).toBe(431)
    expect(answer.headers).toContain('Content-Type: application/problem+json; charset=utf-8')
    expect(answer.headers).toContain('Cache-Control: no-store')
    expect(answer.body).toMatchObject({ type: '/problems/header-fields-too-large', status: 431, requestId: expect.any(String) })
  })

  it('answers a request line too long for the parser with a 414 problem', async () => {
    const answer = problemOf(await exchange(port, `GET /works?query=${'a'.repeat(MAX_HEADER_SIZE)} HTTP/1.1\r\nHost: x\r\n\r\n`))
    expect(answer.status).toBe(414)
    expect(answer.body).toMatchObject({ type: '/problems/uri-too-long', status: 414 })
  })

  it('answers what is not HTTP with a 400 problem', async () => {
    const answer = problemOf(await exchange(port, 'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n'))
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      type: '/problems/malformed-request',
      status: 400,
      detail: 'The request is not valid HTTP/1.1 (HPE_INVALID_METHOD).',
    })
  })

  it('answers a request that does not arrive in time with a 408 problem', async () => {
    const answer = problemOf(await exchange(port, 'GET /works HTTP/1.1\r\nHost: x\r\n'))
    expect(answer.status).toBe(408)
    expect(answer.body).toMatchObject({ type: '/problems/request-timeout', status: 408 })
  })

  it('answers an HTTP/1.1 request without Host with a 400 problem, its request id and the security headers', async () => {
    for (const path of ['/health/live', '/works', '/no-such-route']) {
      const raw = await exchange(port, `GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`)
      const answer = problemOf(raw)
      expect(answer.status).toBe(400)
      expect(answer.body).toMatchObject({ type: '/problems/malformed-request', status: 400, detail: expect.stringMatching(/Host/) })
      const requestId = /\r\nx-request-id: ([^\r]+)/i.exec(answer.headers)?.[1]
      expect(requestId).toBe((answer.body as { requestId: string }).requestId)
      expect(answer.headers).toMatch(/\r\nx-content-type-options: nosniff/i)
      expect(answer.headers).toMatch(/\r\ncontent-security-policy: default-src 'none'/i)
    }
    // HTTP/1.0 has no Host requirement.
    expect(problemOf(await exchange(port, 'GET /nope HTTP/1.0\r\n\r\n')).status).toBe(404)
  })

  it('sends the security headers with the problems it writes on the socket', async () => {
    const answer = problemOf(await exchange(port, 'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n'))
    expect(answer.headers).toMatch(/\r\nx-content-type-options: nosniff/i)
    expect(answer.headers).toMatch(/\r\nx-frame-options: DENY/i)
  })

  it('keeps serving afterwards', async () => {
    const response = await fetch(`http://127.0.0.1:${port}${SEED}`)
    expect(response.status).toBe(200)
  })
})
