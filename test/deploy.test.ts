import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { parseAllDocuments } from 'yaml'
import { configSchema, loadConfig } from '../src/config.js'
import { appWith, seed } from './fixtures/works.js'

// No cluster runs here: the manifest is checked against the app and the Dockerfile it deploys.
interface Probe {
  httpGet: { path: string; port: string }
}
interface Container {
  ports: { name: string; containerPort: number }[]
  env: { name: string; value: string }[]
  startupProbe: Probe
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
      spec: { terminationGracePeriodSeconds: number; containers: Container[] }
    }
  }
}
interface Service {
  kind: 'Service'
  spec: { selector: Record<string, string>; ports: { targetPort: string }[] }
}

const documents = parseAllDocuments(readFileSync(new URL('../deploy/kubernetes.yaml', import.meta.url), 'utf8')).map(
  (document) => document.toJS() as Deployment | Service,
)
const deployment = documents.find((document): document is Deployment => document.kind === 'Deployment') as Deployment
const service = documents.find((document): document is Service => document.kind === 'Service') as Service
const pod = deployment.spec.template
const container = pod.spec.containers[0] as Container
const env = Object.fromEntries(container.env.map(({ name, value }) => [name, value]))
const exposed = Number(/^EXPOSE (\d+)$/m.exec(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'))?.[1])

let app: FastifyInstance
beforeAll(async () => {
  app = await appWith(seed)
})
afterAll(() => app.close())

describe('the Kubernetes manifest', () => {
  it('puts its pods behind a Service that selects them and sends to their port', () => {
    expect(deployment.spec.selector.matchLabels).toEqual(pod.metadata.labels)
    expect(service.spec.selector).toEqual(pod.metadata.labels)
    expect(service.spec.ports.map((port) => port.targetPort)).toEqual(container.ports.map((port) => port.name))
  })

  it('sets only configuration variables the service knows, with valid values', () => {
    for (const variable of Object.keys(env)) expect(Object.keys(configSchema.shape), variable).toContain(variable)
    expect(() => loadConfig(env)).not.toThrow()
  })

  it('wires the probes and the Prometheus scrape to routes the app serves, on the port the image exposes', async () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: exposed }])
    expect(pod.metadata.annotations['prometheus.io/port']).toBe(String(exposed))
    const probes = { startup: container.startupProbe, liveness: container.livenessProbe, readiness: container.readinessProbe }
    expect(Object.values(probes).map((probe) => probe.httpGet.port)).toEqual(['http', 'http', 'http'])
    expect(probes.liveness.httpGet.path).toBe('/health/live')
    expect(probes.readiness.httpGet.path).toBe('/health/ready')
    for (const path of [...Object.values(probes).map((probe) => probe.httpGet.path), pod.metadata.annotations['prometheus.io/path']]) {
      expect((await app.inject(path ?? '')).statusCode, path).toBe(200)
    }
  })

  it('gives the shutdown its whole grace period before Kubernetes kills the process', () => {
    const [sleep, seconds] = container.lifecycle.preStop.exec.command
    expect(sleep).toBe('sleep')
    const graceMs = loadConfig(env).SHUTDOWN_GRACE_MS
    expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(seconds) * 1000 + graceMs)
  })
})
