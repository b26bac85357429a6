import fp from 'fastify-plugin'
import type { Readiness } from '../readiness.js'

/**
 * While the process drains, every answer tells the client to close its connection, so that keep-alive
 * clients (load balancers) reconnect to another replica instead of to this one.
 */
export const drainingPlugin = fp<{ readonly readiness: Readiness }>(
  async (app, { readiness }) => {
    app.addHook('onRequest', (_request, reply, done) => {
      if (readiness.state === 'draining') reply.header('connection', 'close')
      done()
    })
  },
  { name: 'citeserve-draining', fastify: '5.x' },
)
