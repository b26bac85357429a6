import { setFlagsFromString } from 'node:v8'
import type { Logger } from 'pino'
import { FileStore } from './catalogue/file-store.js'
import { CatalogueError } from './catalogue/load.js'
import { RenderCache } from './citations/render-cache.js'
import type { Rendered } from './citations/render.js'
import { compileDefaultStyle } from './citations/default-style.js'
import { ConfigError, cslServicesOptions, loadConfig, type Config } from './config.js'
import { databaseOptions, DatabaseError, openDatabaseStore } from './database.js'
import { DEBIAN_CSL_PACKAGES, type CslLibrary } from './formats/csl/library.js'
import { openCslServices, type CslServices } from './formats/csl/services.js'
import { checkPort, portInUse } from './http/port.js'
import { WriteTokens, WriteTokensError } from './http/write-tokens.js'
import { createLogger } from './logger.js'
import { Metrics } from './metrics.js'
import { Readiness } from './readiness.js'
import { exitGracefullyOnSignals } from './shutdown.js'

/** Exits with a message for a person, not a stack trace, when the service cannot start. */
function refuseToStart(error: unknown): never {
  if (
    error instanceof ConfigError ||
    error instanceof CatalogueError ||
    error instanceof DatabaseError ||
    error instanceof PortError ||
    error instanceof WriteTokensError
  ) {
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

/**
 * Loads the data file into the file store, which reloads it on SIGHUP and, with DATA_WATCH_MS, when it
 * changes: in the background, an invalid file refused with the old catalogue serving on.
 */
async function openStore(config: Config, logger: Logger, metrics: Metrics): Promise<FileStore> {
  const started = performance.now()
  const store = await FileStore.open({
    file: config.DATA_FILE,
    watchMs: config.DATA_WATCH_MS,
    onReloading: (cause) => logger.info({ file: config.DATA_FILE, cause }, 'reloading the catalogue'),
    onReloaded: (result) => {
      metrics.catalogueReloaded(result.ok ? 'success' : 'failure')
      if (result.ok) {
        metrics.catalogueLoaded(result.works, result.ms / 1000)
        logger.info({ works: result.works, generation: result.generation, loadMs: result.ms }, 'catalogue reloaded')
      } else logger.error({ reason: reloadFailure(result.error), loadMs: result.ms }, 'catalogue reload refused; still serving the old one')
    },
    onWatchFailed: (error) =>
      logger.error({ file: config.DATA_FILE, reason: error.message }, 'cannot watch the data file any more; SIGHUP still reloads it'),
  })
  const loadSeconds = (performance.now() - started) / 1000
  const { works } = await store.state()
  metrics.catalogueLoaded(works, loadSeconds)
  logger.info({ file: config.DATA_FILE, works, loadMs: Math.round(loadSeconds * 1000) }, 'catalogue loaded')
  return store
}

/** The CSL services, with the default style's engine compiling in its worker unless there is no warm-up (WARM_WORKS=0). */
async function openCsl(config: Config, logger: Logger): Promise<{ csl: CslServices; compiling: Promise<void> }> {
  const csl = await openCslServices(cslServicesOptions(config))
  // The workers boot (load citeproc-js) and compile while the main thread loads the app and the catalogue.
  csl.renderer.start()
  const compiling = config.WARM_WORKS > 0 ? compileDefaultStyle(csl) : Promise.resolve()
  // Awaited by the warm-up; a failure meanwhile must not count as unhandled.
  compiling.catch(() => undefined)
  logCslSources(logger, csl.library)
  logger.info({ styles: csl.library.styleIds.length, locales: csl.library.localeIds.length }, 'CSL styles and locales found')
  return { csl, compiling }
}

/**
 * The process, start to end: it owns the logger, the CSL services (render workers), the
 * catalogue store and the app, and closes them on shutdown (src/shutdown.ts).
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const writeTokens = WriteTokens.load(config.WRITE_TOKENS_FILE)
  const busy = await checkPort(config.PORT, config.HOST)
  if (busy !== undefined) throw new PortError(busy)
  const logger = await createLogger(config)
  if (writeTokens.enabled) logger.info({ file: config.WRITE_TOKENS_FILE, tokens: writeTokens.names }, 'writes are on')
  else logger.info('writes are off: WRITE_TOKENS_FILE names no tokens')
  const metrics = new Metrics()
  const readiness = new Readiness()

  // DATABASE_URL makes the catalogue the database's; else it is the data file, in memory.
  const database = databaseOptions(config, logger)
  // Its live set is small and stays so, but large answers (a cursor walk's pages of a thousand works)
  // would let V8 grow the heap to several times it: grown only a quarter over what is live, a replica's
  // memory stays near what it needs. The file store, whose live set is the catalogue, keeps the default.
  if (database !== undefined) setFlagsFromString('--heap-growing-percent=25')
  // Compiling the default style takes longest of a start, so a render worker starts on it first, and
  // the app's modules (Fastify, the formats, citation-js) load while it compiles.
  const { csl, compiling } = await openCsl(config, logger)
  const [store, { buildApp }, { warmUp }] = await Promise.all([
    database === undefined ? openStore(config, logger, metrics) : openDatabaseStore(config, database, logger),
    import('./app.js'),
    import('./citations/warm-up.js'),
  ])
  metrics.watchRenderPool(() => csl.renderer.stats)
  const renderCache = new RenderCache<Rendered>(config.RENDER_CACHE_ENTRIES, metrics)
  const app = await buildApp({ store, writeTokens, csl, renderCache, metrics, readiness, config, logger })
  process.on('SIGHUP', () => {
    if (store instanceof FileStore) void store.reload('SIGHUP')
    else logger.info('SIGHUP: nothing to reload, every replica hears of the database’s changes')
  })

  exitGracefullyOnSignals({
    app,
    readiness,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    closeResources: async () => {
      await store.close()
      await csl.renderer.close()
      logger.info('CSL render workers stopped')
    },
  })

  // Taken since the check at the start (by a process started meanwhile): the same one line.
  await app.listen({ port: config.PORT, host: config.HOST }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? new PortError(portInUse(config.PORT, config.HOST)) : error
  })
  // Listening, but reported ready (to load balancers, by /health/ready) only once the default citations
  // are rendered: the first APA rendering compiles its engine, which takes seconds.
  const warmStarted = performance.now()
  try {
    const [, rendered] = await Promise.all([compiling, warmUp(store, csl, renderCache, config.WARM_WORKS)])
    logger.info({ rendered, warmMs: Math.round(performance.now() - warmStarted) }, 'default citations rendered')
  } catch (error) {
    // A shutdown during the warm-up stops the render workers under it: that is no failure to start.
    if (readiness.state === 'draining') return
    throw error
  }
  readiness.ready()
  // performance.now() counts from the start of the process: this is the whole startup.
  logger.info({ startupMs: Math.round(performance.now()) }, 'ready')
}

main().catch(refuseToStart)
