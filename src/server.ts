import { pino } from 'pino'
import { buildApp } from './app.js'
import { CatalogueError, loadCatalogue } from './catalogue/load.js'
import { ConfigError, loadConfig } from './config.js'
import { openCslServices } from './formats/csl/services.js'

/** Exits with a message for a person, not a stack trace, when the service cannot start. */
function refuseToStart(error: unknown): never {
  if (error instanceof ConfigError || error instanceof CatalogueError) {
    process.stderr.write(`citeserve: cannot start: ${error.message}\n`)
  } else {
    process.stderr.write(`citeserve: cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  }
  process.exit(1)
}

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const logger = pino({ level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] })
  const started = performance.now()
  const catalogue = await loadCatalogue(config.DATA_FILE)
  logger.info({ file: config.DATA_FILE, works: catalogue.size, loadMs: Math.round(performance.now() - started) }, 'catalogue loaded')

  const csl = await openCslServices({
    styleDirectories: config.CSL_STYLE_DIRS,
    localeDirectories: config.CSL_LOCALE_DIRS,
    engines: config.CSL_ENGINES,
  })
  logger.info({ styles: csl.library.styleIds.length, locales: csl.library.localeIds.length }, 'CSL styles and locales found')

  let shuttingDown = false
  const app = await buildApp({ catalogue, csl, logger, isReady: () => !shuttingDown })
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return
    shuttingDown = true
    logger.info({ signal }, 'shutting down')
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
  await app.listen({ port: config.PORT, host: config.HOST })
}

main().catch(refuseToStart)
