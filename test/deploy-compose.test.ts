import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { configSchema, loadConfig } from '../src/config.js'
import { exposedPort, imageEnv, migrateScriptSource, repository, sourceOfImageCommand, yamlDocuments } from './fixtures/deploy.js'
import { appWith, seed } from './fixtures/works.js'

// No container engine runs here: the compose file is checked against the app, the Dockerfile it builds
// and the configuration, as far as that goes without starting it.
interface ComposeService {
  image?: string
  build?: string
  command?: string[]
  environment?: Record<string, string>
  ports?: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
}
const [compose] = yamlDocuments<{ services: Record<string, ComposeService> }>('docker-compose.yaml')
const services = compose?.services ?? {}
const { citeserve = {}, migrate = {} } = services
const [postgresName, postgres = {}] = Object.entries(services).find(([, service]) => service.image?.startsWith('postgres:')) ?? []
/** What the server sees: the image's ENV, then the service's environment over it. */
const serverEnv = { ...imageEnv, ...citeserve.environment }

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed)
})
afterAll(() => app.close())

describe('the docker-compose file', () => {
  it('builds citeserve and its migration from the Dockerfile, beside PostgreSQL 15 or later', () => {
    for (const service of [citeserve, migrate]) expect(existsSync(new URL(`${service.build}/Dockerfile`, repository))).toBe(true)
    expect(Number(/^postgres:(\d+)/.exec(postgres.image ?? '')?.[1])).toBeGreaterThanOrEqual(15)
  })

  it('sets only configuration variables the service knows, with valid values', () => {
    for (const service of [citeserve, migrate])
      for (const variable of Object.keys(service.environment ?? {})) expect(Object.keys(configSchema.shape), variable).toContain(variable)
    expect(() => loadConfig(serverEnv)).not.toThrow()
  })

  it('connects to the PostgreSQL service with the database, user and password it creates', () => {
    const { DATABASE_URL } = loadConfig(serverEnv)
    const url = new URL(DATABASE_URL ?? 'invalid:')
    const created = postgres.environment ?? {}
    expect(url.protocol).toBe('postgresql:')
    expect(url.hostname).toBe(postgresName)
    expect(url.port === '' ? 5432 : Number(url.port)).toBe(5432)
    expect(decodeURIComponent(url.username)).toBe(created.POSTGRES_USER)
    expect(decodeURIComponent(url.password)).toBe(created.POSTGRES_PASSWORD)
    expect(url.pathname).toBe(`/${created.POSTGRES_DB}`)
    expect(migrate.environment?.DATABASE_URL).toBe(citeserve.environment?.DATABASE_URL)
  })

  it('publishes the port the server listens on and the image exposes', () => {
    const { PORT } = loadConfig(serverEnv)
    expect(PORT).toBe(exposedPort)
    expect(citeserve.ports?.map((mapping) => Number(mapping.split(':').at(-1)))).toEqual([PORT])
  })

  it('runs the migrations with the command `npm run migrate` runs, once PostgreSQL is up, and starts citeserve after them', () => {
    const source = sourceOfImageCommand(migrate.command ?? [])
    expect(source).toBeDefined()
    expect(source).toBe(migrateScriptSource())
    expect(migrate.depends_on).toEqual({ [postgresName ?? '']: { condition: 'service_healthy' } })
    const migrateName = Object.entries(services).find(([, service]) => service === migrate)?.[0] ?? ''
    expect(citeserve.depends_on).toEqual({
      [postgresName ?? '']: { condition: 'service_healthy' },
      [migrateName]: { condition: 'service_completed_successfully' },
    })
    expect(loadConfig(serverEnv).DATABASE_MIGRATE).toBe('never')
  })

  it('checks PostgreSQL with pg_isready as its user, and citeserve on its readiness route and port', async () => {
    const [kind, program, ...options] = postgres.healthcheck?.test ?? []
    expect([kind, program]).toEqual(['CMD', 'pg_isready'])
    expect(options).toContain(`--username=${postgres.environment?.POSTGRES_USER}`)
    const script = citeserve.healthcheck?.test.join(' ') ?? ''
    const probed = new URL(/'(http:\/\/[^']+)'/.exec(script)?.[1] ?? 'invalid:')
    expect(Number(probed.port)).toBe(loadConfig(serverEnv).PORT)
    expect(probed.pathname).toBe('/health/ready')
    expect((await app.inject(probed.pathname)).statusCode).toBe(200)
  })
})
