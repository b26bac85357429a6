import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { cp, mkdtemp, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configSchema, loadConfig } from '../src/config.js'
import { ServerProcess } from './fixtures/server-process.js'

// No Docker engine runs here, so the Dockerfile is checked for what can be checked without one.
const root = new URL('..', import.meta.url)
const ROOT = fileURLToPath(root)
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8').replace(/\\\n/g, ' ')
const instructions = dockerfile
  .split('\n')
  .map((line) => line.trim().replace(/\s+/g, ' '))
  .filter((line) => line !== '' && !line.startsWith('#'))
const runtimeStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')))
const packageJson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  scripts: Record<string, string>
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

  it('builds with the package’s build script and runs what `npm run start:dist` runs', () => {
    expect(instructions).toContain('RUN npm run build')
    expect(command.join(' ')).toBe(packageJson.scripts['start:dist'])
  })

  it('has two stages on a Node LTS slim image, production dependencies only in the second, and runs as a non-root user', () => {
    const bases = instructions.filter((line) => line.startsWith('FROM '))
    expect(bases).toHaveLength(2)
    for (const base of bases) expect(base).toMatch(/^FROM node:(22|24)-[a-z]+-slim\b/)
    expect(runtimeStage).toContain('RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force')
    expect(instructions.filter((line) => line.startsWith('USER '))).toEqual(['USER node'])
  })

  it('skips install scripts, which only the prepare build (of the sources, not in the image) and development tools have', () => {
    expect(instructions.filter((line) => line.startsWith('RUN npm ci ')).every((line) => line.includes(' --ignore-scripts '))).toBe(true)
    const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
      packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }>
    }
    const withScripts = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript === true)
    expect(withScripts.length).toBeGreaterThan(0)
    expect(withScripts.filter(([, entry]) => entry.dev !== true).map(([path]) => path)).toEqual([])
    expect(packageJson.scripts.prepare).toBe('npm run build')
  })

  it('installs Debian’s CSL styles and locales in the runtime stage, without recommends, and drops the apt lists', () => {
    const apt = runtimeStage.find((line) => line.startsWith('RUN apt-get update'))
    expect(apt).toBeDefined()
    expect(apt).toContain('apt-get install -y --no-install-recommends citation-style-language-styles citation-style-language-locales')
    expect(apt).toMatch(/&& rm -rf \/var\/lib\/apt\/lists\/\*$/)
  })

  it('sets only configuration variables the service knows, with valid values, and exposes the port it listens on', () => {
    const { NODE_ENV, ...serviceEnv } = runtimeEnv
    expect(NODE_ENV).toBe('production')
    for (const variable of Object.keys(serviceEnv)) expect(Object.keys(configSchema.shape), variable).toContain(variable)
    const config = loadConfig(serviceEnv)
    expect(config.HOST).toBe('0.0.0.0')
    expect(config.DATA_FILE).toBe('/app/data/works.json')
    // Below `docker stop`'s 10 s, so the forced exit is the service's own, and logged.
    expect(config.SHUTDOWN_GRACE_MS).toBeLessThan(10_000)
    expect(instructions).toContain(`EXPOSE ${config.PORT}`)
    expect(healthcheck.join(' ')).toContain('/health/ready')
  })
})

describe('the runtime stage’s files, laid out as in the image', () => {
  let app: string
  let server: ServerProcess | undefined

  beforeAll(async () => {
    // What the image's /app holds: the compiled dist/ of a clean build, data/, public/, package.json, node_modules.
    app = await mkdtemp(join(tmpdir(), 'citeserve-image-'))
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(app, 'dist')],
      {
        cwd: ROOT,
      },
    )
    await cp(join(ROOT, 'data'), join(app, 'data'), { recursive: true })
    await cp(join(ROOT, 'public'), join(app, 'public'), { recursive: true })
    await cp(join(ROOT, 'package.json'), join(app, 'package.json'))
    await symlink(join(ROOT, 'node_modules'), join(app, 'node_modules'))
  }, 60_000)
  afterAll(() => {
    server?.child.kill('SIGKILL')
  })

  it('hold what CMD runs, and the compiled code imports only production dependencies', () => {
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

  it('serve the bundled catalogue with the image’s environment, and pass the HEALTHCHECK', async () => {
    const env = { ...runtimeEnv, HOST: '127.0.0.1', PORT: '0', DATA_FILE: runtimeEnv.DATA_FILE?.replace('/app/', `${app}/`) ?? '' }
    server = new ServerProcess(env, { args: command.slice(1), cwd: app })
    const port = new URL(await server.listening()).port
    const check = spawnSync(process.execPath, healthcheck.slice(1), { env: { ...process.env, PORT: port }, encoding: 'utf8' })
    expect(check.status).toBe(0)
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`)
    expect(await ready.json()).toEqual({ status: 'ok', works: 1 })
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  })
})
