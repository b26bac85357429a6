import closeWithGrace from 'close-with-grace'
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
  /** Closes what the process opened besides the app (render workers, file watcher), once the app is closed. */
  readonly closeResources: () => Promise<void>
}

/**
 * Graceful shutdown on SIGTERM (orchestrators), SIGINT (Ctrl-C) and the other terminating signals
 * close-with-grace handles (SIGHUP reloads the catalogue instead): readiness turns false, the server
 * stops accepting connections, every response in flight is sent to the end (requests that arrive
 * meanwhile on open keep-alive connections are answered, with `Connection: close`), then the app and
 * the resources close, the log is flushed and the process exits 0. If that takes longer than the
 * grace period, or a second signal comes, the process exits 1 at once. An uncaught error shuts down
 * the same way, and exits 1.
 */
export function exitGracefullyOnSignals({ app, readiness, logger, graceMs, closeResources }: ShutdownOptions): void {
  const inFlight = new ResponsesInFlight(app.server)
  closeWithGrace(
    {
      delay: graceMs,
      logger: false,
      skip: ['SIGHUP'],
      onSecondSignal: (signal) => logger.warn({ signal }, 'second signal during shutdown: exiting now'),
      onTimeout: () =>
        logger.error({ graceMs, inFlight: inFlight.size }, 'grace period over with requests still in flight: exiting anyway'),
    },
    async ({ signal, err }) => {
      if (err) logger.fatal({ err }, 'uncaught error: shutting down')
      readiness.drain()
      logger.info({ signal, graceMs, inFlight: inFlight.size }, 'shutting down: no new connections, finishing requests in flight')
      try {
        stopAccepting(app.server)
        await inFlight.settled()
        // Now only idle keep-alive connections are left; Fastify closes them and its plugins.
        await app.close()
        await closeResources()
        logger.info('shut down: every request finished')
      } catch (error) {
        logger.error({ err: error }, 'shutdown failed')
        throw error
      } finally {
        // The log is written asynchronously: what is still buffered goes out before the process exits.
        await new Promise<void>((resolve) => logger.flush(() => resolve()))
      }
    },
  )
}
