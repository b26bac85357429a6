import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess } from './fixtures/server-process.js'

describe('the server on a real port', () => {
  let server: ServerProcess
  let base: string

  beforeAll(async () => {
    server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' })
    base = await server.listening()
  })
  afterAll(() => {
    server.child.kill('SIGTERM')
  })

  it('serves the bundled catalogue over HTTP', async () => {
    const response = await fetch(`${base}/works/interleukin-2-in-cancer-2005`, {
      headers: { accept: 'application/x-research-info-systems' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/x-research-info-systems; charset=utf-8')
    expect(await response.text()).toContain('TI  - Interleukin-2 in cancer\r\n')
  })

  it('listens first, reports ready once the default citations are rendered, and reports the catalogue in /metrics', async () => {
    await server.ready()
    const messages = server.logLines().map((line) => line.msg)
    expect(messages.indexOf('default citations rendered')).toBeGreaterThan(
      messages.findIndex((message) => String(message).startsWith('Server listening')),
    )
    const ready = await fetch(`${base}/health/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ok', works: 1 })
    const metrics = await (await fetch(`${base}/metrics`)).text()
    expect(metrics).toMatch(/^citeserve_catalogue_works 1$/m)
    expect(metrics).toMatch(/^citeserve_catalogue_load_duration_seconds 0\.\d+$/m)
  })

  it('writes JSON log lines with the request id it returns', async () => {
    const response = await fetch(`${base}/works?rows=1`, { headers: { 'x-request-id': 'trace-me-42' } })
    expect(response.headers.get('x-request-id')).toBe('trace-me-42')
    await server.waitForOutput(/"reqId":"trace-me-42"/)
    expect(server.logLines().find((line) => line.reqId === 'trace-me-42')).toMatchObject({
      msg: 'request completed',
      method: 'GET',
      route: '/works',
      status: 200,
      durationMs: expect.any(Number),
    })
  })
})

describe('the server with LOG_FORMAT=pretty', () => {
  it('writes readable lines instead of JSON', async () => {
    const server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'pretty', WARM_WORKS: '0' })
    await server.listening()
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(\d+\): Server listening at http:\/\/127\.0\.0\.1:\d+$/m)
    expect(server.stdout).toMatch(/^\s+works: 1$/m)
    expect(server.stdout.split('\n').filter((line) => line.startsWith('{'))).toEqual([])
  })
})

describe('refusing to start', () => {
  let directory: string
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'citeserve-server-'))
  })

  it('names the file, the record and the field of a broken data file, and exits 1', async () => {
    const file = join(directory, 'works.json')
    await writeFile(
      file,
      JSON.stringify([
        { id: 'fine', type: 'book' },
        { id: 'broken', type: 'book', issued: '2005' },
      ]),
    )
    const server = new ServerProcess({ PORT: '0', DATA_FILE: file })
    expect(await server.exited).toBe(1)
    expect(server.stderr).toBe(
      `citeserve: cannot start: data file ${file}: 1 problem with records\n  record 1 (id "broken"): field "issued": Invalid input: expected object, received string\n`,
    )
  })

  it('names a missing data file', async () => {
    const file = join(directory, 'missing.json')
    const server = new ServerProcess({ PORT: '0', DATA_FILE: file })
    expect(await server.exited).toBe(1)
    expect(server.stderr).toBe(`citeserve: cannot start: data file ${file}: no such file\n`)
  })

  it('names a wrong configuration variable and its value', async () => {
    const server = new ServerProcess({ PORT: 'eighty', SHUTDOWN_GRACE_MS: '-1' })
    expect(await server.exited).toBe(1)
    expect(server.stderr).toBe(
      'citeserve: cannot start: invalid configuration:\n' +
        '  PORT="eighty": Invalid input: expected number, received NaN\n' +
        '  SHUTDOWN_GRACE_MS="-1": Too small: expected number to be >=0\n',
    )
  })
})
