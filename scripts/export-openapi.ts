// Writes the OpenAPI document the app serves to openapi/openapi.json (`npm run openapi`).
// test/plugins/openapi.test.ts fails when the committed copy drifts from what the app serves.
import { writeFile } from 'node:fs/promises'
import { buildApp } from '../src/app.js'
import { Catalogue } from '../src/catalogue/catalogue.js'

export const OPENAPI_FILE = new URL('../openapi/openapi.json', import.meta.url)

export async function servedOpenApi(): Promise<string> {
  // The document does not depend on the data, so an empty catalogue serves.
  const app = await buildApp({ catalogue: new Catalogue([]) })
  await app.ready()
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`
  await app.close()
  return document
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(OPENAPI_FILE, await servedOpenApi())
  process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\n`)
}
