import { buildApp } from './app.js'
import { CatalogueError, loadCatalogue } from './catalogue/load.js'
import { ConfigError, loadConfig } from './config.js'
import { openCslServices } from './formats/csl/services.js'
import { createLogger } from './logger.js'
import { Metrics } from './metrics.js'
import { Readiness } from './readiness.js'
import { exitGracefullyOnSignals } from './shutdown.js'

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
  const logger = await createLogger(config)
  const readiness = new Readiness()
  const metrics = new Metrics()

  const started = performance.now()
  const catalogue = await loadCatalogue(config.DATA_FILE)
  const loadSeconds = (performance.now() - started) / 1000
  metrics.catalogueLoaded(catalogue.size, loadSeconds)
  logger.info({ file: config.DATA_FILE, works: catalogue.size, loadMs: Math.round(loadSeconds * 1000) }, 'catalogue loaded')

  const csl = await openCslServices({
    styleDirectories: config.CSL_STYLE_DIRS,
    localeDirectories: config.CSL_LOCALE_DIRS,
    engines: config.CSL_ENGINES,
  })
  logger.info({ styles: csl.library.styleIds.length, locales: csl.library.localeIds.length }, 'CSL styles and locales found')

  const app = await buildApp({ catalogue, csl, logger, readiness, metrics, config })
  exitGracefullyOnSignals({ app, readiness, logger, graceMs: config.SHUTDOWN_GRACE_MS })
  // The server listens only once the catalogue is loaded: until then connections are refused, which
  // every orchestrator reads as "not ready"; the readiness route says "starting" until listen returns.
  await app.listen({ port: config.PORT, host: config.HOST })
  readiness.ready()
}

main().catch(refuseToStart)
