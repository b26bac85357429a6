import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { ResponsesInFlight, stopAccepting } from './http/draining.js'
import type { Readiness } from './readiness.js'

export interface ShutdownOptions {
  readonly app: FastifyInstance
  readonly readiness: Readiness
  readonly logger: Logger
  /** How long requests in flight may take to finish before the process exits anyway. */
  readonly graceMs: number
}

/**
 * Graceful shutdown on SIGTERM (orchestrators) and SIGINT (Ctrl-C): readiness turns false, the
 * server stops accepting connections, every response in flight is sent to the end (requests that
 * arrive meanwhile on open keep-alive connections are answered, with `Connection: close`), then the
 * app closes and the process exits 0. If that takes longer than the grace period, or a second signal
 * comes, the process exits 1 at once.
 */
export function exitGracefullyOnSignals({ app, readiness, logger, graceMs }: ShutdownOptions): void {
  const inFlight = new ResponsesInFlight(app.server)

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (readiness.state === 'draining') {
      logger.warn({ signal }, 'second signal during shutdown: exiting now')
      process.exit(1)
    }
    readiness.drain()
    logger.info({ signal, graceMs, inFlight: inFlight.size }, 'shutting down: no new connections, finishing requests in flight')
    setTimeout(() => {
      logger.error({ graceMs, inFlight: inFlight.size }, 'grace period over with requests still in flight: exiting anyway')
      process.exit(1)
    }, graceMs)
    try {
      stopAccepting(app.server)
      await inFlight.settled()
      // Now only idle keep-alive connections are left; Fastify closes them and its plugins.
      await app.close()
      logger.info('shut down: every request finished')
      process.exit(0)
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed')
      process.exit(1)
    }
  }
  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal)
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}
