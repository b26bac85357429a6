// The service as `npm start` runs it (same configuration, catalogue loading and app), plus an IPC
// channel through which scripts/load.ts asks for garbage collection and memory figures (and
// scripts/load-abuse.ts for the event loop's delays). Run with
// --expose-gc; LOG_LEVEL defaults to warn so that logging one line per request does not dominate.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { pino } from 'pino'
import { buildApp } from '../src/app.js'
import { FileStore } from '../src/catalogue/file-store.js'
import { RenderCache } from '../src/citations/render-cache.js'
import { cslServicesOptions, loadConfig } from '../src/config.js'
import { openCslServices } from '../src/formats/csl/services.js'
import { Metrics } from '../src/metrics.js'
import { Readiness } from '../src/readiness.js'

export interface MemoryFigures {
  readonly rss: number
  readonly heapUsed: number
  /** The highest RSS seen (sampled every 250 ms) since the figures were last asked for. */
  readonly peakRss: number
}

/** Milliseconds the event loop was held beyond its resolution, since the server started. */
export interface LoopDelay {
  readonly p99: number
  readonly max: number
}

const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env })
const metrics = new Metrics()
const csl = await openCslServices(cslServicesOptions(config))
const app = await buildApp({
  store: await FileStore.open({ file: config.DATA_FILE }),
  csl,
  renderCache: new RenderCache(config.RENDER_CACHE_ENTRIES, metrics),
  metrics,
  readiness: new Readiness('ready'),
  config,
  logger: pino({ level: config.LOG_LEVEL }),
})
await app.listen({ port: config.PORT, host: config.HOST })

let peakRss = 0
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250).unref()

const collectGarbage = (globalThis as { gc?: () => void }).gc
if (!collectGarbage) throw new Error('run with --expose-gc')
// How long the event loop was held, from the start: what any request had to wait on top of its own time.
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()

// "loop delay" asks for the event loop's delays; any other message for the memory figures after garbage collection.
process.on('message', (message) => {
  if (message === 'loop delay') {
    process.send?.({ p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } satisfies LoopDelay)
    return
  }
  collectGarbage()
  collectGarbage()
  const { rss, heapUsed } = process.memoryUsage()
  process.send?.({ rss, heapUsed, peakRss: Math.max(peakRss, rss) } satisfies MemoryFigures)
  peakRss = 0
})
process.send?.({ port: (app.server.address() as { port: number }).port })
process.on(
  'disconnect',
  () =>
    void app
      .close()
      .then(() => csl.renderer.close())
      .then(() => process.exit(0)),
)
