import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Socket } from 'node:net'
import { HttpProblem } from '../http/problem.js'

export interface ExchangeLimitsOptions {
  /** Seconds from a request's arrival to the last byte of its answer; a connection still sending then is closed. */
  readonly exchangeSeconds: number
  /** Open connections beyond which new requests are refused with 503. */
  readonly maxConnections: number
  /** Requests one client (by address, as TRUST_PROXY says) may have in flight; more are refused with 429. */
  readonly maxClientRequests: number
}

declare module 'fastify' {
  interface FastifyReply {
    /** The client whose count of requests in flight this request is in, until it is answered or given up. */
    exchangeClient: string | null
  }
}

/** Routes that rate limiting does not count (the health probes and metrics) are not limited per client either. */
const limitedPerClient = (request: FastifyRequest) => request.routeOptions.config.rateLimit !== false

/** How often the answers under way are checked against their deadline, at most, in milliseconds. */
const SWEEP_MS = 1000

/**
 * Bounds what clients can make the server hold: each exchange gets a deadline for its whole answer, so
 * that a client that stops reading is cut off and what its answer held is freed; and requests are
 * refused, with a problem that says so, beyond a number of open connections in all and of requests in
 * flight from one client.
 *
 * One timer for the whole server checks the deadlines (a connection is cut off within a second of its
 * answer's deadline), and the answers under way are kept by connection, so that a request costs no
 * timer and no listener of its own; a connection that closes releases the requests it still held.
 */
export const exchangeLimitsPlugin = fp<ExchangeLimitsOptions>(
  async (app, { exchangeSeconds, maxConnections, maxClientRequests }) => {
    const deadlineMs = exchangeSeconds * 1000
    // The answers under way on each open connection: one, or more when a client pipelines requests.
    const open = new Map<Socket, Set<FastifyReply>>()
    const inFlight = new Map<string, number>()
    app.decorateReply('exchangeClient', null)

    const release = (reply: FastifyReply) => {
      const client = reply.exchangeClient
      if (client === null) return
      reply.exchangeClient = null
      const left = (inFlight.get(client) ?? 1) - 1
      if (left === 0) inFlight.delete(client)
      else inFlight.set(client, left)
    }

    app.server.on('connection', (socket: Socket) => {
      const replies = new Set<FastifyReply>()
      open.set(socket, replies)
      socket.once('close', () => {
        open.delete(socket)
        for (const reply of replies) release(reply)
      })
    })
    const sweep = setInterval(
      () => {
        for (const [socket, replies] of open) {
          for (const reply of replies) {
            if (reply.elapsedTime <= deadlineMs) continue
            reply.log.warn({ seconds: exchangeSeconds }, 'answer not taken in time: connection closed')
            socket.destroy()
            break
          }
        }
      },
      Math.min(SWEEP_MS, deadlineMs),
    )
    sweep.unref()
    app.addHook('onClose', (_app, done) => {
      clearInterval(sweep)
      done()
    })

    app.addHook('onRequest', (request, reply, done) => {
      open.get(request.raw.socket)?.add(reply)
      if (open.size > maxConnections) {
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
      reply.exchangeClient = client
      done()
    })
    app.addHook('onResponse', (request, reply, done) => {
      open.get(request.raw.socket)?.delete(reply)
      release(reply)
      done()
    })
  },
  { name: 'citeserve-exchange-limits', fastify: '5.x', dependencies: ['citeserve-problems', 'citeserve-request-limits'] },
)
