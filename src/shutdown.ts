import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
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
 * server stops accepting connections and closes idle ones, requests in flight finish, and the process
 * exits 0. If they have not finished within the grace period, or a second signal comes, it exits 1.
 */
export function exitGracefullyOnSignals({ app, readiness, logger, graceMs }: ShutdownOptions): void {
  const shutdown = (signal: NodeJS.Signals) => {
    if (readiness.state === 'draining') {
      logger.warn({ signal }, 'second signal during shutdown: exiting now')
      process.exit(1)
    }
    readiness.drain()
    logger.info({ signal, graceMs }, 'shutting down: no new connections, finishing requests in flight')
    setTimeout(() => {
      logger.error({ graceMs }, 'grace period over with requests still in flight: exiting anyway')
      process.exit(1)
    }, graceMs)
    app.close().then(
      () => {
        logger.info('shut down: every request finished')
        process.exit(0)
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}
