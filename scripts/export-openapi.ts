// Writes the OpenAPI document the app serves to openapi/openapi.json (`npm run openapi`).
// test/plugins/openapi.test.ts fails when the committed copy drifts from what the app serves.
import { writeFile } from 'node:fs/promises'
import { pino } from 'pino'
import { buildApp } from '../src/app.js'
import { FileStore } from '../src/catalogue/file-store.js'
import { RenderCache } from '../src/citations/render-cache.js'
import { loadConfig } from '../src/config.js'
import { openCslServices } from '../src/formats/csl/services.js'
import { Metrics } from '../src/metrics.js'
import { Readiness } from '../src/readiness.js'

export const OPENAPI_FILE = new URL('../openapi/openapi.json', import.meta.url)

export async function servedOpenApi(): Promise<string> {
  // The document depends neither on the data nor on the styles installed: an empty catalogue and
  // citation-js's built-in styles serve.
  const csl = await openCslServices({ styleDirectories: [], localeDirectories: [], engines: 1, workers: 1 })
  const app = await buildApp({
    store: await FileStore.fromItems([]),
    csl,
    renderCache: new RenderCache(1),
    metrics: new Metrics(),
    readiness: new Readiness('ready'),
    config: loadConfig({}),
    logger: pino({ enabled: false }),
  })
  await app.ready()
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`
  await app.close()
  await csl.renderer.close()
  return document
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(OPENAPI_FILE, await servedOpenApi())
  process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\n`)
}
