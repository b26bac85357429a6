import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { HttpProblem } from '../http/problem.js'

export interface ExchangeLimitsOptions {
  /** Seconds from a request's arrival to the last byte of its answer; a connection still sending then is closed. */
  readonly exchangeSeconds: number
  /** Open connections beyond which new requests are refused with 503. */
  readonly maxConnections: number
  /** Requests one client (by address, as TRUST_PROXY says) may have in flight; more are refused with 429. */
  readonly maxClientRequests: number
}

/** Routes that rate limiting does not count (the health probes and metrics) are not limited per client either. */
const limitedPerClient = (request: FastifyRequest) => request.routeOptions.config.rateLimit !== false

/**
 * Bounds what clients can make the server hold: each exchange gets a deadline for its whole answer, so
 * that a client that stops reading is cut off and what its answer held is freed; and requests are
 * refused, with a problem that says so, beyond a number of open connections in all and of requests in
 * flight from one client.
 */
export const exchangeLimitsPlugin = fp<ExchangeLimitsOptions>(
  async (app, { exchangeSeconds, maxConnections, maxClientRequests }) => {
    let connections = 0
    app.server.on('connection', (socket) => {
      connections++
      socket.once('close', () => connections--)
    })
    const inFlight = new Map<string, number>()

    app.addHook('onRequest', (request, reply, done) => {
      const { socket } = request.raw
      const deadline = setTimeout(() => {
        request.log.warn({ seconds: exchangeSeconds }, 'answer not taken in time: connection closed')
        socket.destroy()
      }, exchangeSeconds * 1000)
      deadline.unref()
      reply.raw.once('close', () => clearTimeout(deadline))

      if (connections > maxConnections) {
        reply.header('connection', 'close')
        return done(
          new HttpProblem(
            'service-busy',
            `The server has more than ${maxConnections} open connections; try again shortly.`,
            {},
            { 'retry-after': '1' },
          ),
        )
      }
      if (!limitedPerClient(request)) return done()
      const client = request.ip
      const count = (inFlight.get(client) ?? 0) + 1
      if (count > maxClientRequests) {
        return done(
          new HttpProblem(
            'too-many-requests',
            `A client may have ${maxClientRequests} requests in flight at once; wait for an answer first.`,
            {},
            { 'retry-after': '1' },
          ),
        )
      }
      inFlight.set(client, count)
      reply.raw.once('close', () => {
        const left = (inFlight.get(client) ?? 1) - 1
        if (left === 0) inFlight.delete(client)
        else inFlight.set(client, left)
      })
      done()
    })
  },
  { name: 'citeserve-exchange-limits', fastify: '5.x', dependencies: ['citeserve-problems', 'citeserve-request-limits'] },
)
