import { buildApp } from './app.js'
import { CatalogueError, loadCatalogue } from './catalogue/load.js'
import { LiveCatalogue } from './catalogue/live-catalogue.js'
import type { CslItem } from './catalogue/schema.js'
import { watchDataFile } from './catalogue/watch.js'
import { ConfigError, loadConfig } from './config.js'
import { checkPort, portInUse } from './http/port.js'
import { DEBIAN_CSL_PACKAGES, type CslLibrary } from './formats/csl/library.js'
import { openCslServices } from './formats/csl/services.js'
import { RenderCache } from './formats/render-cache.js'
import type { Rendered } from './routes/citations.js'
import { compileDefaultStyle, firstWorks, warmUp } from './routes/warm-up.js'
import { createLogger } from './logger.js'
import type { Logger } from 'pino'
import { Metrics } from './metrics.js'
import { Readiness } from './readiness.js'
import { exitGracefullyOnSignals } from './shutdown.js'

/** Exits with a message for a person, not a stack trace, when the service cannot start. */
function refuseToStart(error: unknown): never {
  if (error instanceof ConfigError || error instanceof CatalogueError || error instanceof PortError) {
    process.stderr.write(`citeserve: cannot start: ${error.message}\n`)
  } else {
    process.stderr.write(`citeserve: cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  }
  process.exit(1)
}

class PortError extends Error {}

/** Says which style and locale directories were read and what each gave; a missing one names its Debian package. */
function logCslSources(logger: Logger, library: CslLibrary): void {
  for (const { kind, directory, found } of library.sources) {
    if (found !== undefined) logger.info({ directory, [kind]: found }, `CSL ${kind} read`)
    else
      logger.warn(
        { directory },
        `CSL ${kind} directory not found: only the built-in ${kind} are available; ` +
          `apt-get install ${DEBIAN_CSL_PACKAGES[kind]}, or set ${kind === 'styles' ? 'CSL_STYLE_DIRS' : 'CSL_LOCALE_DIRS'}`,
      )
  }
}

function reloadFailure(error: unknown): string {
  if (error instanceof CatalogueError) return error.message
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const busy = await checkPort(config.PORT, config.HOST)
  if (busy !== undefined) throw new PortError(busy)
  const logger = await createLogger(config)
  const readiness = new Readiness()
  const metrics = new Metrics()

  // The data file is loaded on the main thread while, at the same time, the style directories are
  // read and the render workers compile the default style, the slow part of the warm-up, which needs
  // no catalogue (see warm-up.ts): on two cores the two overlap. The warm-up starts as soon as the
  // records are valid, so that the worker renders its bibliographies while the main thread builds the
  // search index, and the app is built while it finishes. A broken data file still stops the start at once.
  const renderCache = new RenderCache<Rendered>(config.RENDER_CACHE_ENTRIES, metrics)
  let recordsValidated: (items: readonly CslItem[]) => void = () => {}
  const validRecords = new Promise<readonly CslItem[]>((resolve) => (recordsValidated = resolve))
  const started = performance.now()
  const loading = loadCatalogue(config.DATA_FILE, recordsValidated).then((loaded) => {
    const loadSeconds = (performance.now() - started) / 1000
    metrics.catalogueLoaded(loaded.size, loadSeconds)
    logger.info({ file: config.DATA_FILE, works: loaded.size, loadMs: Math.round(loadSeconds * 1000) }, 'catalogue loaded')
    return loaded
  })
  const opening = openCslServices({
    styleDirectories: config.CSL_STYLE_DIRS,
    localeDirectories: config.CSL_LOCALE_DIRS,
    engines: config.CSL_ENGINES,
    workers: config.CSL_WORKERS,
    hungAfterMs: config.CSL_WORKER_TIMEOUT * 1000,
  }).then((services) => {
    services.renderer.start()
    logCslSources(logger, services.library)
    logger.info({ styles: services.library.styleIds.length, locales: services.library.localeIds.length }, 'CSL styles and locales found')
    return services
  })
  const compiling = opening.then(async (services) => {
    if (config.WARM_WORKS > 0) {
      const compileStarted = performance.now()
      await compileDefaultStyle(services)
      logger.info({ compileMs: Math.round(performance.now() - compileStarted) }, 'default style compiled')
    }
  })
  const warming = Promise.all([validRecords, opening]).then(async ([items, csl]) => {
    const warmStarted = performance.now()
    const rendered = await warmUp(firstWorks(items, config.WARM_WORKS), csl, renderCache, config.WARM_WORKS)
    logger.info({ rendered, warmMs: Math.round(performance.now() - warmStarted) }, 'default citations rendered')
  })
  // Awaited once the app is built; handled here too, so that a failure before then is no unhandled rejection.
  warming.catch(() => {})

  const [catalogue, csl] = await Promise.all([loading, opening, compiling])
  // The first generation, as the warm-up assumed (see firstWorks).
  const live = new LiveCatalogue(catalogue, () => loadCatalogue(config.DATA_FILE))
  const [app] = await Promise.all([buildApp({ catalogue: live, csl, logger, readiness, metrics, renderCache, config }), warming])
  // Closing the app (the last step of a graceful shutdown) stops the render workers.
  app.addHook('onClose', async () => {
    await csl.renderer.close()
    logger.info('CSL render workers stopped')
  })
  exitGracefullyOnSignals({ app, readiness, logger, graceMs: config.SHUTDOWN_GRACE_MS })
  // SIGHUP (and, with DATA_WATCH_MS, a change of the file) reloads the data file in the background; an
  // invalid one is refused and the old one serves on.
  const reload = (cause: string) => {
    logger.info({ file: config.DATA_FILE, cause }, 'reloading the catalogue')
    void live.reload().then((result) => {
      metrics.catalogueReloaded(result.ok ? 'success' : 'failure')
      if (result.ok) {
        metrics.catalogueLoaded(result.works, result.ms / 1000)
        logger.info({ works: result.works, generation: result.generation, loadMs: result.ms }, 'catalogue reloaded')
      } else logger.error({ reason: reloadFailure(result.error), loadMs: result.ms }, 'catalogue reload refused; still serving the old one')
    })
  }
  process.on('SIGHUP', () => reload('SIGHUP'))
  if (config.DATA_WATCH_MS > 0) {
    watchDataFile(
      config.DATA_FILE,
      config.DATA_WATCH_MS,
      () => reload('file changed'),
      (error) =>
        logger.error({ file: config.DATA_FILE, reason: error.message }, 'cannot watch the data file any more; SIGHUP still reloads it'),
    )
  }
  // The server listens only once the catalogue is loaded: until then connections are refused, which
  // every orchestrator reads as "not ready"; the readiness route says "starting" until listen returns.
  // Taken since the check at the start (by a process started meanwhile): the same one line.
  await app.listen({ port: config.PORT, host: config.HOST }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? new PortError(portInUse(config.PORT, config.HOST)) : error
  })
  readiness.ready()
  // performance.now() counts from the start of the process: this is the whole startup.
  logger.info({ startupMs: Math.round(performance.now()) }, 'ready')
}

main().catch(refuseToStart)
