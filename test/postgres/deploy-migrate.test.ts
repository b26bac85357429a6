import { execFile, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { staleBuild } from '../../scripts/stale-build.mjs'
import { imageEnv, yamlDocuments } from '../fixtures/deploy.js'
import { layOutImage } from '../fixtures/image-layout.js'
import { ServerProcess } from '../fixtures/server-process.js'
import { createTestDatabase, onServer, SERVER_URL, type TestDatabase } from './fixtures/database.js'

// The deployments' migration step, run as their containers run it: the command and environment of the
// Kubernetes init container and of the compose `migrate` service, in the image's /app laid out by the
// Dockerfile, against a real database whose owner is a role of its own (as the operator's or the
// postgres image's user is), so that the tables' owner shows whose credentials were used.
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface Container {
  command: string[]
  env: { name: string; value?: string }[]
  readinessProbe: { httpGet: { path: string } }
}
type KubernetesDocument = { kind: string; spec: { template: { spec: { initContainers: Container[]; containers: Container[] } } } }
const deployment = yamlDocuments<KubernetesDocument>('deploy/kubernetes-postgresql.yaml').find((document) => document.kind === 'Deployment')
const initContainer = deployment?.spec.template.spec.initContainers[0] as Container
const serverContainer = deployment?.spec.template.spec.containers[0] as Container
/** The image's CMD, which the server container runs. */
const imageCommand = JSON.parse(/^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1] ?? '[]') as string[]
const [compose] = yamlDocuments<{ services: Record<string, { command: string[]; environment: Record<string, string> }> }>(
  'docker-compose.yaml',
)
const composeMigrate = compose?.services.migrate

/** `url` moved to the test's server and database, keeping what it says of the user and password. */
function onTestServer(url: string, database: TestDatabase): string {
  const moved = new URL(url)
  const server = new URL(database.url)
  moved.host = server.host
  moved.pathname = server.pathname
  return moved.toString()
}

let app: string
/** A database for each deployment's step, owned by the role. */
let kubernetesDatabase: TestDatabase
let composeDatabase: TestDatabase
const role = `citeserve_owner_${randomBytes(4).toString('hex')}`

beforeAll(async () => {
  if (staleBuild(ROOT) !== undefined)
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT })
  app = await mkdtemp(join(tmpdir(), 'citeserve-image-'))
  await layOutImage(app)
  ;[kubernetesDatabase, composeDatabase] = await Promise.all([
    createTestDatabase({ migrate: false }),
    createTestDatabase({ migrate: false }),
  ])
  await onServer(SERVER_URL, `CREATE ROLE ${role} LOGIN`)
  for (const { url } of [kubernetesDatabase, composeDatabase])
    await onServer(SERVER_URL, `ALTER DATABASE ${new URL(url).pathname.slice(1)} OWNER TO ${role}`)
})
afterAll(async () => {
  await Promise.all([kubernetesDatabase?.drop(), composeDatabase?.drop()])
  await onServer(SERVER_URL, `DROP ROLE IF EXISTS ${role}`)
  if (app) await rm(app, { recursive: true, force: true })
})

/** Runs a container's command in the image layout with the image's environment and `env` over it. */
function run(command: readonly string[], env: Record<string, string>) {
  const [program, ...args] = command
  expect(program).toBe('node')
  // Only the variables the container would have: nothing of this process's PG* or DATABASE_* leaks in.
  return promisify(execFile)(process.execPath, args, {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', ...imageEnv, ...env },
    encoding: 'utf8',
  })
}

/**
 * A container's environment as the pod gives it, moved to the test's server: the operator's Secret
 * gives the owner's name and password (the test server trusts local connections, so any password
 * does), and both Services lead to the one test server.
 */
function podEnv(container: Container): Record<string, string> {
  const env = Object.fromEntries(container.env.flatMap(({ name, value }) => (value === undefined ? [] : [[name, value]])))
  return {
    ...env,
    DATABASE_URL: onTestServer(env.DATABASE_URL ?? '', kubernetesDatabase),
    DATABASE_READ_URL: onTestServer(env.DATABASE_READ_URL ?? '', kubernetesDatabase),
    PGUSER: role,
    PGPASSWORD: 'from-the-secret',
  }
}

async function tableOwner(database: TestDatabase): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  try {
    const { rows } = await client.query<{ tableowner: string }>("SELECT tableowner FROM pg_tables WHERE tablename = 'works'")
    return rows[0]?.tableowner
  } finally {
    await client.end()
  }
}

describe('the deployments’ migration step, in the image', () => {
  it('Kubernetes: migrates with the credentials from PGUSER and PGPASSWORD, once', async () => {
    const containerEnv = podEnv(initContainer)
    const first = await run(initContainer.command, containerEnv)
    expect(first.stdout).toMatch(/applied \d+_works/)
    expect(await tableOwner(kubernetesDatabase)).toBe(role)
    const again = await run(initContainer.command, containerEnv)
    expect(again.stdout).toMatch(/up to date/)
  })

  it('Kubernetes: the server, started as the image starts it with the pod’s environment, serves the migrated database', async () => {
    // The pod's order: the init container, then the server.
    await run(initContainer.command, podEnv(initContainer))
    const server = new ServerProcess(
      { ...imageEnv, ...podEnv(serverContainer), HOST: '127.0.0.1', PORT: '0', LOG_FORMAT: 'json' },
      { args: imageCommand.slice(1), cwd: app },
    )
    try {
      const base = await server.ready()
      const ready = await fetch(`${base}${serverContainer.readinessProbe.httpGet.path}`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toEqual({ status: 'ok', works: 0 })
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
  })

  it('compose: migrates with the credentials of its URL', async () => {
    const url = new URL(onTestServer(composeMigrate?.environment.DATABASE_URL ?? '', composeDatabase))
    // The postgres service's user, here the test's role.
    url.username = role
    const { stdout } = await run(composeMigrate?.command ?? [], { ...composeMigrate?.environment, DATABASE_URL: url.toString() })
    expect(stdout).toMatch(/applied \d+_works/)
    expect(await tableOwner(composeDatabase)).toBe(role)
  })
})
