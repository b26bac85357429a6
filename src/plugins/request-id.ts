import fp from 'fastify-plugin'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

// An incoming X-Request-Id is honoured only when it is short and plain, so that a client cannot
// inject log lines or huge values through it.
const ACCEPTABLE_REQUEST_ID = /^[\w.:@-]{1,128}$/

/** Fastify's `genReqId`: the caller's X-Request-Id when acceptable, else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id']
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID()
}

/** Returns the request id (`genReqId` chose it) to the caller, so that both sides can quote it. */
export const requestIdPlugin = fp(
  async (app) => {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id)
      done()
    })
  },
  { name: 'citeserve-request-id', fastify: '5.x' },
)
