import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { staleBuild } from '../scripts/stale-build.mjs'
import { configSchema, loadConfig } from '../src/config.js'
import { layOutImage } from './fixtures/image-layout.js'
import { ServerProcess } from './fixtures/server-process.js'

// No Docker engine runs here: the Dockerfile is checked for what a build would refuse, and its command runs
// the compiled server in the image's layout and environment.
const root = new URL('..', import.meta.url)
const ROOT = fileURLToPath(root)
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8').replace(/\\\n/g, ' ')
const instructions = dockerfile
  .split('\n')
  .map((line) => line.trim().replace(/\s+/g, ' '))
  .filter((line) => line !== '' && !line.startsWith('#'))
const runtimeStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')))
const packageJson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  dependencies: Record<string, string>
}

const argumentsOf = (instruction: string) => JSON.parse(instruction.slice(instruction.indexOf('['))) as string[]
const command = argumentsOf(instructions.find((line) => line.startsWith('CMD ')) ?? 'CMD []')
const healthcheck = argumentsOf(instructions.find((line) => line.startsWith('HEALTHCHECK ')) ?? 'HEALTHCHECK CMD []')

/** The runtime stage's ENV as a map (`ENV A=1 B=2`). */
const runtimeEnv: Record<string, string> = Object.fromEntries(
  runtimeStage
    .filter((line) => line.startsWith('ENV '))
    .flatMap((line) => line.slice(4).split(' '))
    .map((pair) => pair.split('=') as [string, string]),
)

describe('the Dockerfile', () => {
  it('copies only files that exist in the repository', () => {
    const sources = instructions
      .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1))
    expect(sources.length).toBeGreaterThan(3)
    for (const source of sources) expect(existsSync(new URL(source, root)), source).toBe(true)
  })

  it('installs no production dependency with an install script, which `npm ci --ignore-scripts` would skip', () => {
    const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
      packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }>
    }
    const withScripts = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript === true)
    expect(withScripts.length).toBeGreaterThan(0)
    expect(withScripts.filter(([, entry]) => entry.dev !== true).map(([path]) => path)).toEqual([])
  })

  it('sets only configuration variables the service knows, with valid values, and exposes the port it listens on', () => {
    const { NODE_ENV, ...serviceEnv } = runtimeEnv
    expect(NODE_ENV).toBe('production')
    for (const variable of Object.keys(serviceEnv)) expect(Object.keys(configSchema.shape), variable).toContain(variable)
    const config = loadConfig(serviceEnv)
    expect(config.HOST).toBe('0.0.0.0')
    // Below `docker stop`'s 10 s, so the forced exit is the service's own, and logged.
    expect(config.SHUTDOWN_GRACE_MS).toBeLessThan(10_000)
    expect(instructions).toContain(`EXPOSE ${config.PORT}`)
  })
})

// The compiled server, as the image and `npm run start:dist` run it: plain node, no tsx, so its render
// worker must be the compiled render-worker.js.
describe('the built server, laid out and run as in the image', { timeout: 120_000 }, () => {
  let app: string
  let server: ServerProcess | undefined

  beforeAll(async () => {
    // The project's build (`npm ci` makes it), compiled again only if a source changed since, as `npm start` does.
    if (staleBuild(ROOT) !== undefined)
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT })
    // What the image's /app holds, by the Dockerfile's COPY instructions, from this checkout's build.
    app = await mkdtemp(join(tmpdir(), 'citeserve-image-'))
    await layOutImage(app)
  }, 120_000)
  afterAll(async () => {
    server?.child.kill('SIGKILL')
    await rm(app, { recursive: true, force: true })
  })

  it('hold what CMD runs, and the compiled code imports only production dependencies', () => {
    expect(command[0]).toBe('node')
    expect(existsSync(join(app, command[1] as string))).toBe(true)
    const files = readdirSync(join(app, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'))
    const imported = new Set(
      files.flatMap((file) =>
        [...readFileSync(join(app, 'dist', file), 'utf8').matchAll(/^(?:import|export) (?:[^'"]* from )?'([^'.][^']*)'/gm)].map(
          ([, specifier]) => specifier as string,
        ),
      ),
    )
    const packages = [...imported]
      .filter((specifier) => !specifier.startsWith('node:'))
      .map((specifier) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/'),
      )
    expect(packages.length).toBeGreaterThan(5)
    for (const name of packages) expect(Object.keys(packageJson.dependencies), name).toContain(name)
  })

  it('serve the bundled catalogue with the image’s environment, render in the compiled worker, pass the HEALTHCHECK and stop on SIGTERM', async () => {
    const env = {
      ...runtimeEnv,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_FILE: runtimeEnv.DATA_FILE?.replace('/app/', `${app}/`) ?? '',
      // The first bibliography compiles its style in the worker: slow on a loaded machine.
      REQUEST_TIMEOUT: '120',
      WARM_WORKS: '0',
    }
    server = new ServerProcess(env, { args: command.slice(1), cwd: app })
    const base = await server.listening()
    const check = spawnSync(process.execPath, healthcheck.slice(1), { env: { ...process.env, PORT: new URL(base).port }, encoding: 'utf8' })
    expect(check.status).toBe(0)
    const ready = await fetch(`${base}/health/ready`)
    expect(await ready.json()).toEqual({ status: 'ok', works: 1 })
    const response = await fetch(`${base}/works/interleukin-2-in-cancer-2005/citation?format=bibliography&style=vancouver`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('1. Interleukin-2 in cancer [Review]. 2005 Feb 24;273–85.\n')
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.logLines().map((line) => line.msg)).toContain('CSL render workers stopped')
  })
})
