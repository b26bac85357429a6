import { cp, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess } from '../fixtures/server-process.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ENV = { PORT: '0', HOST: '127.0.0.1', WARM_WORKS: '0' }

/** `npm start`'s command in a copy of the tree: starts, answers ready, stops; what it said on standard error. */
async function start(app: string): Promise<string> {
  const server = new ServerProcess(ENV, { args: ['scripts/start.mjs'], cwd: app })
  const base = await server.listening()
  expect((await fetch(`${base}/health/ready`)).status).toBe(200)
  server.child.kill('SIGTERM')
  expect(await server.exited).toBe(0)
  return server.stderr
}

describe('npm start (scripts/start.mjs)', () => {
  let app: string

  beforeAll(async () => {
    // A fresh checkout as `npm start` sees it, without the dist/ that `npm ci` builds.
    app = await mkdtemp(join(tmpdir(), 'citeserve-start-'))
    for (const path of ['src', 'scripts', 'public', 'data/works.json', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
      await cp(join(ROOT, path), join(app, path), { recursive: true })
    await symlink(join(ROOT, 'node_modules'), join(app, 'node_modules'))
  })

  it('compiles when there is no build, runs the build as it is when nothing changed, and compiles again after a change', async () => {
    expect(await start(app)).toContain('citeserve: there is no dist/server.js; compiling (npm run build)')
    expect(await start(app)).toBe('')

    // A visible change to a source, made after the build: the next start must run it.
    const serverSource = join(app, 'src/server.ts')
    await writeFile(serverSource, (await readFile(serverSource, 'utf8')).replace("'ready')", "'ready, rebuilt')"))
    const server = new ServerProcess(ENV, { args: ['scripts/start.mjs'], cwd: app })
    await server.waitForOutput(/"msg":"ready, rebuilt"/)
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.stderr).toContain('citeserve: src/ changed since the last build; compiling (npm run build)')
  }, 180_000)
})
