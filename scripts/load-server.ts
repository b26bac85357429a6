// The service as `npm start` runs it (same configuration, catalogue loading and app), plus an IPC
// channel through which scripts/load.ts asks for garbage collection and memory figures. Run with
// --expose-gc; LOG_LEVEL defaults to warn so that logging one line per request does not dominate.
import { pino } from 'pino'
import { buildApp } from '../src/app.js'
import { loadCatalogue } from '../src/catalogue/load.js'
import { loadConfig } from '../src/config.js'

export interface MemoryFigures {
  readonly rss: number
  readonly heapUsed: number
}

const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env })
const app = await buildApp({ catalogue: await loadCatalogue(config.DATA_FILE), config, logger: pino({ level: config.LOG_LEVEL }) })
await app.listen({ port: config.PORT, host: config.HOST })

const collectGarbage = (globalThis as { gc?: () => void }).gc
process.on('message', (message: 'collect' | 'sample') => {
  if (message === 'collect') {
    if (!collectGarbage) throw new Error('run with --expose-gc')
    collectGarbage()
    collectGarbage()
  }
  const { rss, heapUsed } = process.memoryUsage()
  process.send?.({ rss, heapUsed } satisfies MemoryFigures)
})
process.send?.({ port: (app.server.address() as { port: number }).port })
process.on('disconnect', () => void app.close().then(() => process.exit(0)))
