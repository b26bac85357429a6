import { describe, expect, it } from 'vitest'
import { logFormat, readableRequestLine } from '../../src/logger.js'
import { loggedApp } from '../fixtures/logged-app.js'
import { seed } from '../fixtures/works.js'

describe('the request log line', () => {
  it('names the client, its user agent and, for an error, the problem type; an unmatched route as the metrics do', async () => {
    const { app, lines } = await loggedApp([seed])
    await app.inject({ url: '/works/interleukin-2-in-cancer-2005', headers: { 'user-agent': 'curl/8.5.0' } })
    await app.inject({ url: '/works/no-such-work', headers: { 'user-agent': 'curl/8.5.0' } })
    await app.inject({ url: '/nowhere' })
    await app.inject({ url: '/works?q=x' })
    const requests = lines.filter((line) => line.msg === 'request completed')
    expect(requests[0]).toMatchObject({ status: 200, client: '127.0.0.1', userAgent: 'curl/8.5.0' })
    expect(requests[0]).not.toHaveProperty('problem')
    expect(requests[1]).toMatchObject({ status: 404, route: '/works/:id', problem: '/problems/not-found' })
    expect(requests[2]).toMatchObject({ status: 404, route: 'unmatched', problem: '/problems/not-found' })
    expect(requests[3]).toMatchObject({ status: 400, problem: '/problems/invalid-parameter' })
    const metrics = await app.inject('/metrics')
    expect(metrics.body).toContain('route="unmatched"')
    await app.close()
  })

  it('reads as one short line in the readable format', () => {
    const line = {
      method: 'GET',
      url: '/works/x',
      status: 404,
      durationMs: 1.5,
      client: '127.0.0.1',
      userAgent: 'curl/8.5.0',
      problem: '/problems/not-found',
    }
    expect(readableRequestLine(line)).toBe('GET /works/x 404 /problems/not-found 1.5 ms 127.0.0.1 "curl/8.5.0"')
    expect(readableRequestLine({ msg: 'ready', startupMs: 900 })).toBeUndefined()
  })

  it('is readable on a terminal and JSON elsewhere, unless LOG_FORMAT says', () => {
    expect(logFormat(undefined, true)).toBe('pretty')
    expect(logFormat(undefined, false)).toBe('json')
    expect(logFormat('json', true)).toBe('json')
    expect(logFormat('pretty', false)).toBe('pretty')
  })
})
