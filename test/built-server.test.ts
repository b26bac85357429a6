import { execFileSync } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess } from './fixtures/server-process.js'

// The compiled server, as `npm run start:dist` and the container run it: plain node, no tsx, so its
// render worker must be the compiled render-worker.js. Built into a directory of the project, so that
// node_modules and data/ are found as from dist/.
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT = '.test-dist'

describe('the built server', { timeout: 180_000 }, () => {
  let server: ServerProcess | undefined

  beforeAll(() => {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', OUT], { cwd: ROOT })
  }, 180_000)
  afterAll(async () => {
    server?.child.kill('SIGKILL')
    await rm(`${ROOT}/${OUT}`, { recursive: true, force: true })
  })

  it('renders bibliographies in its compiled worker and stops it on SIGTERM', async () => {
    server = new ServerProcess({ PORT: '0', HOST: '127.0.0.1', WARM_WORKS: '0', REQUEST_TIMEOUT: '120' }, { args: [`${OUT}/server.js`] })
    const base = await server.listening()
    const response = await fetch(`${base}/works/interleukin-2-in-cancer-2005/citation?format=bibliography&style=vancouver`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('1. Interleukin-2 in cancer [Review]. 2005 Feb 24;273–85.\n')
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.logLines().map((line) => line.msg)).toContain('CSL render workers stopped')
  })
})
