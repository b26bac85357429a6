import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { configSchema, loadConfig } from '../src/config.js'
import { exposedPort, migrateScriptSource, sourceOfImageCommand, yamlDocuments } from './fixtures/deploy.js'
import { appWith, seed } from './fixtures/works.js'

// No cluster runs here: the manifests are checked against the app and the Dockerfile they deploy.
interface Probe {
  httpGet: { path: string; port: string }
}
interface EnvVar {
  name: string
  value?: string
  valueFrom?: { secretKeyRef: { name: string; key: string } }
}
interface Container {
  image: string
  command?: string[]
  ports: { name: string; containerPort: number }[]
  env: EnvVar[]
  startupProbe?: Probe
  livenessProbe: Probe
  readinessProbe: Probe
  lifecycle: { preStop: { exec: { command: string[] } } }
}
interface Deployment {
  kind: 'Deployment'
  spec: {
    selector: { matchLabels: Record<string, string> }
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> }
      spec: { terminationGracePeriodSeconds: number; containers: Container[]; initContainers?: Container[] }
    }
  }
}
interface Service {
  kind: 'Service'
  spec: { selector: Record<string, string>; ports: { targetPort: string }[] }
}
interface PostgresCluster {
  kind: 'Cluster'
  apiVersion: string
  metadata: { name: string }
  spec: { instances: number; bootstrap: { initdb: { database: string; owner: string } } }
}
type Manifest = Deployment | Service | PostgresCluster

/** The parts of a manifest these tests read. */
function manifest(path: string) {
  const documents = yamlDocuments<Manifest>(path)
  const deployment = documents.find((document): document is Deployment => document.kind === 'Deployment') as Deployment
  const pod = deployment.spec.template
  const container = pod.spec.containers[0] as Container
  return {
    documents,
    deployment,
    pod,
    container,
    service: documents.find((document): document is Service => document.kind === 'Service') as Service,
    /** The variables with a value written in the manifest (not from a Secret). */
    env: Object.fromEntries(container.env.flatMap(({ name, value }) => (value === undefined ? [] : [[name, value]]))),
  }
}

// Variables the PostgreSQL client reads itself, as libpq does: credentials stay in the operator's Secret.
const DRIVER_VARIABLES = ['PGUSER', 'PGPASSWORD']

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed)
})
afterAll(() => app.close())

describe.each(['deploy/kubernetes.yaml', 'deploy/kubernetes-postgresql.yaml'])('the Kubernetes manifest %s', (path) => {
  const { deployment, pod, container, service, env } = manifest(path)

  it('puts its pods behind a Service that selects them and sends to their port', () => {
    expect(deployment.spec.selector.matchLabels).toEqual(pod.metadata.labels)
    expect(service.spec.selector).toEqual(pod.metadata.labels)
    expect(service.spec.ports.map((port) => port.targetPort)).toEqual(container.ports.map((port) => port.name))
  })

  it('sets only configuration variables the service knows, with valid values', () => {
    const known = [...Object.keys(configSchema.shape), ...DRIVER_VARIABLES]
    for (const { name } of container.env) expect(known, name).toContain(name)
    expect(() => loadConfig(env)).not.toThrow()
  })

  it('wires the probes and the Prometheus scrape to routes the app serves, on the port the image exposes', async () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: exposedPort }])
    expect(pod.metadata.annotations['prometheus.io/port']).toBe(String(exposedPort))
    const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe].filter((probe) => probe !== undefined)
    expect(probes.map((probe) => probe.httpGet.port)).toEqual(probes.map(() => 'http'))
    expect(container.livenessProbe.httpGet.path).toBe('/health/live')
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready')
    for (const probePath of [...probes.map((probe) => probe.httpGet.path), pod.metadata.annotations['prometheus.io/path']]) {
      expect((await app.inject(probePath ?? '')).statusCode, probePath).toBe(200)
    }
  })

  it('gives the shutdown its whole grace period before Kubernetes kills the process', () => {
    const [sleep, seconds] = container.lifecycle.preStop.exec.command
    expect(sleep).toBe('sleep')
    const graceMs = loadConfig(env).SHUTDOWN_GRACE_MS
    expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(seconds) * 1000 + graceMs)
  })
})

describe('the PostgreSQL-backed Kubernetes manifest', () => {
  const { documents, pod, container, env } = manifest('deploy/kubernetes-postgresql.yaml')
  const cluster = documents.find((document): document is PostgresCluster => document.kind === 'Cluster') as PostgresCluster

  it('declares a CloudNativePG cluster with standbys to read from', () => {
    expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1')
    expect(cluster.spec.instances).toBeGreaterThan(1)
  })

  it('writes through the cluster’s read-write Service and reads through its read-only one, in its database', () => {
    const { DATABASE_URL, DATABASE_READ_URL } = loadConfig(env)
    const primary = new URL(DATABASE_URL ?? 'invalid:')
    const standbys = new URL(DATABASE_READ_URL ?? 'invalid:')
    // The operator's Services: <cluster>-rw goes to the primary, <cluster>-ro to the standbys only.
    expect(primary.hostname).toBe(`${cluster.metadata.name}-rw`)
    expect(standbys.hostname).toBe(`${cluster.metadata.name}-ro`)
    for (const url of [primary, standbys]) {
      expect(url.protocol).toBe('postgresql:')
      expect(url.pathname).toBe(`/${cluster.spec.bootstrap.initdb.database}`)
      // No password in the manifest: it comes from the Secret below.
      expect(url.username + url.password).toBe('')
    }
  })

  it('takes the credentials from the Secret the operator keeps for the database owner', () => {
    const fromSecret = Object.fromEntries(
      container.env.flatMap(({ name, valueFrom }) => (valueFrom ? [[name, valueFrom.secretKeyRef]] : [])),
    )
    expect(fromSecret).toEqual({
      PGUSER: { name: `${cluster.metadata.name}-app`, key: 'username' },
      PGPASSWORD: { name: `${cluster.metadata.name}-app`, key: 'password' },
    })
  })

  it('migrates the schema before the server starts, with the command `npm run migrate` runs, on the same database', () => {
    const [migrate, ...others] = pod.spec.initContainers ?? []
    expect(others).toEqual([])
    expect(migrate?.image).toBe(container.image)
    expect(migrate?.env).toEqual(container.env)
    const source = sourceOfImageCommand(migrate?.command ?? [])
    expect(source).toBeDefined()
    expect(source).toBe(migrateScriptSource())
    // Migrated before it starts, the server leaves the schema alone.
    expect(loadConfig(env).DATABASE_MIGRATE).toBe('never')
  })
})
