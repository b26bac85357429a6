import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../src/logger.js'

function sink() {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    },
  })
  return { lines, stream }
}

describe('createLogger', () => {
  it('writes JSON lines at the configured level', async () => {
    const { lines, stream } = sink()
    const logger = await createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, stream)
    logger.info('hidden')
    logger.warn({ works: 3 }, 'shown')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 40, works: 3, msg: 'shown' })
  })

  it('redacts credentials wherever request or response headers are logged', async () => {
    const { lines, stream } = sink()
    const logger = await createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, stream)
    const headers = { authorization: 'Bearer secret-1', cookie: 'session=secret-2', 'proxy-authorization': 'secret-3', accept: '*/*' }
    logger.info({ req: { headers }, res: { headers: { 'set-cookie': 'session=secret-4' } } }, 'with headers')
    logger.info({ headers }, 'bare headers')
    const text = JSON.stringify(lines)
    expect(text).not.toMatch(/secret-\d/)
    expect(lines[0]).toMatchObject({
      req: { headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'proxy-authorization': '[Redacted]', accept: '*/*' } },
      res: { headers: { 'set-cookie': '[Redacted]' } },
    })
    expect(lines[1]).toMatchObject({ headers: { authorization: '[Redacted]', accept: '*/*' } })
  })
})
