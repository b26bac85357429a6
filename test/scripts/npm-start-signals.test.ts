import { spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdtemp, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { staleBuild } from '../../scripts/stale-build.mjs'

// `npm start` is what a user runs and signals: the pid they see is npm's, not the server's.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface Started {
  readonly npm: ChildProcess
  readonly base: string
  readonly serverPid: number
  output(): string
  readonly exited: Promise<number | null>
}

async function npmStart(cwd: string): Promise<Started> {
  const npm = spawn('npm', ['start'], {
    cwd,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WARM_WORKS: '0', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)))
  while (!/Server listening at http:\/\/127\.0\.0\.1:\d+/.test(output)) {
    if (npm.exitCode !== null) throw new Error(`npm start exited: ${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const base = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] as string
  const serverPid = Number(/"pid":(\d+)/.exec(output)?.[1])
  return { npm, base, serverPid, output: () => output, exited }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('condition not met in 30 s')
}

const refused = async (base: string) =>
  fetch(`${base}/health/live`).then(
    () => false,
    () => true,
  )

describe('signals sent to the npm start process', () => {
  let app: string
  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), 'citeserve-npm-start-'))
    for (const path of ['src', 'scripts', 'public', 'data', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
      await cp(join(ROOT, path), join(app, path), { recursive: true })
    // The project's build, copied after the sources so that `npm start` finds it fresh, when it is: the
    // signals are the subject here, and the compile step has its own test (test/scripts/start.test.ts).
    if (staleBuild(ROOT) === undefined) await cp(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true })
    await symlink(join(ROOT, 'node_modules'), join(app, 'node_modules'))
  })

  it('SIGTERM stops the server and frees its port', async () => {
    const started = await npmStart(app)
    expect(started.serverPid).not.toBe(started.npm.pid)
    expect((await fetch(`${started.base}/health/ready`)).status).toBe(200)
    started.npm.kill('SIGTERM')
    await started.exited
    await until(() => !alive(started.serverPid))
    expect(await refused(started.base)).toBe(true)
    expect(started.output()).toContain('"msg":"shut down: every request finished"')
  }, 240_000)

  it('SIGHUP to the server reloads; SIGHUP to npm, which npm does not forward, stops the server rather than orphaning it', async () => {
    const started = await npmStart(app)
    process.kill(started.serverPid, 'SIGHUP')
    await until(() => started.output().includes('"msg":"catalogue reloaded"'))
    started.npm.kill('SIGHUP')
    await started.exited
    await until(() => !alive(started.serverPid))
    expect(await refused(started.base)).toBe(true)
  }, 240_000)
})
