import { describe, expect, it } from 'vitest'
import { loggedApp } from '../fixtures/logged-app.js'
import { seed } from '../fixtures/works.js'

async function appWithLog() {
  const logged = await loggedApp([seed])
  await logged.app.ready()
  return logged
}

describe('request log', () => {
  it('writes one line per request with request id, method, route, status and duration', async () => {
    const { app, lines } = await appWithLog()
    const response = await app.inject('/works/interleukin-2-in-cancer-2005?x=1')
    const requestLines = lines.filter((line) => line.msg === 'request completed')
    expect(requestLines).toHaveLength(1)
    expect(requestLines[0]).toMatchObject({
      reqId: response.headers['x-request-id'],
      method: 'GET',
      url: '/works/interleukin-2-in-cancer-2005?x=1',
      route: '/works/:id',
      status: 200,
      durationMs: expect.any(Number),
    })
    expect(lines.filter((line) => String(line.msg).includes('incoming'))).toEqual([])
    await app.close()
  })

  it('honours a plain X-Request-Id and replaces a hostile one', async () => {
    const { app } = await appWithLog()
    const honoured = await app.inject({ url: '/works', headers: { 'x-request-id': 'abc-123.def' } })
    expect(honoured.headers['x-request-id']).toBe('abc-123.def')
    const replaced = await app.inject({ url: '/works', headers: { 'x-request-id': `evil"\\ ${'x'.repeat(300)}` } })
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    await app.close()
  })

  it('leaves the health probes and the metrics scrapes out', async () => {
    const { app, lines } = await appWithLog()
    for (const url of ['/health/live', '/health/ready', '/metrics']) expect((await app.inject(url)).statusCode).toBe(200)
    expect(lines.filter((line) => line.msg === 'request completed')).toEqual([])
    await app.close()
  })
})
