// Load test under abuse (`npm run load:abuse`): the real server on 127.0.0.1 over a synthetic
// catalogue of 10,000 works and a directory of 10,380 styles, for LOAD_SECONDS (default 45), with the
// attacks running together with normal traffic:
// - 40 clients that ask for a 10,000-work export and never read it;
// - 8 clients exporting 10,000 works over and over, in the text formats, reading everything;
// - 20 requests a second for random unknown style names, and 20 for style searches
//   (those three from scripts/load-abuse-clients.ts, a process of their own);
// - normal requests (works, lists, searches, citations) at a steady rate;
// - /health/live probed every 50 ms from a thread of its own.
// It reports the normal requests' p99 and failures, /health/live's p99, and the server's peak RSS,
// and exits 1 when a target is missed: no failed normal request, /health/live p99 under 100 ms, peak
// RSS under 600 MB. Each kind of client has its own address (X-Forwarded-For, with TRUST_PROXY).
import autocannon from 'autocannon'
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { syntheticCatalogue } from './synthetic-catalogue.js'
import type { AttackReport, Tally } from './load-abuse-clients.js'
import type { LoopDelay } from './load-server.js'
import { writeSyntheticStyles } from './synthetic-styles.js'

const SECONDS = Number(process.env.LOAD_SECONDS ?? 45)
const WORKS = 10_000
const STYLES = 10_380
const NORMAL_RATE = 100
const TARGETS = { healthP99Ms: 100, peakRssMb: 600 }

const percentile = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? Number.NaN

/** Probes /health/live from a thread of its own, so that the load generator's busy loop does not delay the probe. */
function healthProbe(base: string): { stop: () => Promise<{ latencies: number[]; failures: number }> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const latencies = []; let failures = 0; let running = true
    parentPort.on('message', () => { running = false })
    ;(async () => {
      while (running) {
        const started = performance.now()
        try { const response = await fetch(workerData + '/health/live'); await response.text(); if (response.status !== 200) failures++ }
        catch { failures++ }
        latencies.push(performance.now() - started)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      parentPort.postMessage({ latencies, failures })
    })()`
  const worker = new Worker(code, { eval: true, workerData: base })
  return {
    stop: async () => {
      worker.postMessage('stop')
      const [result] = (await once(worker, 'message')) as [{ latencies: number[]; failures: number }]
      await worker.terminate()
      return result
    },
  }
}

function normalRequests(): autocannon.Request[] {
  const work = () => `synthetic-${Math.floor(Math.random() * WORKS)}`
  const byIndex = (build: (id: string) => string) => (request: autocannon.Request) => ({ ...request, path: build(work()) })
  return [
    { path: '/works?rows=20' },
    { path: '/works?query=interleukin&rows=20' },
    { setupRequest: byIndex((id) => `/works/${id}`) },
    { setupRequest: byIndex((id) => `/works/${id}/citation?format=bibtex`) },
    { setupRequest: byIndex((id) => `/works/${id}/citation?format=bibliography&output=html`) },
    { path: '/styles?query=apa' },
  ].map((request) => ({ method: 'GET', headers: { 'x-forwarded-for': '10.4.0.1' }, ...request }))
}

/** The ids of the synthetic catalogue are its records' own; the normal traffic finds them by index. */
function catalogueWithIndexIds(): object[] {
  return syntheticCatalogue(WORKS).map((item, index) => ({ ...item, id: `synthetic-${index}` }))
}

async function main(): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-abuse-'))
  const dataFile = join(directory, 'works.json')
  await writeFile(dataFile, JSON.stringify(catalogueWithIndexIds()))
  await writeSyntheticStyles(join(directory, 'styles'), STYLES)
  const server = fork(new URL('./load-server.ts', import.meta.url), {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_FILE: dataFile,
      CSL_STYLE_DIRS: join(directory, 'styles'),
      TRUST_PROXY: 'true',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  try {
    const [{ port }] = (await once(server, 'message')) as [{ port: number }]
    const base = `http://127.0.0.1:${port}`
    // The style index and the APA engine are built on first use, as after any start.
    await fetch(`${base}/styles?query=journal`)
    await fetch(`${base}/works/synthetic-0/citation?format=bibliography`)
    const rssBefore = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024

    const probe = healthProbe(base)
    const clients = fork(new URL('./load-abuse-clients.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LOAD_BASE: base, LOAD_SECONDS: String(SECONDS) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const attacked = once(clients, 'message') as Promise<[AttackReport]>
    const normal = await autocannon({ url: base, connections: 5, overallRate: NORMAL_RATE, duration: SECONDS, requests: normalRequests() })
    const [{ exports, unknownStyles, styleSearches, nonReadersExporting, nonReadersCutOff }] = await attacked
    const health = await probe.stop()
    server.send('loop delay')
    const [loop] = (await once(server, 'message')) as [LoopDelay]
    const peakRss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024

    const normalFailed = normal.errors + normal.timeouts + normal.non2xx
    const healthP99 = percentile(health.latencies, 99)
    const statuses = (into: Tally) => `${JSON.stringify(into.statuses)}${into.errors.length > 0 ? ` (${into.errors.join('; ')})` : ''}`
    process.stdout.write(
      [
        `citeserve load test under abuse: ${SECONDS} s, ${WORKS} works, ${STYLES} styles, node ${process.version}`,
        `normal requests: ${normal.requests.total} at ${NORMAL_RATE}/s, failed ${normalFailed} (non-2xx ${normal.non2xx}, errors ${normal.errors}, timeouts ${normal.timeouts}); p50 ${normal.latency.p50} ms, p99 ${normal.latency.p99} ms, max ${normal.latency.max} ms`,
        `/health/live: ${health.latencies.length} probes, failed ${health.failures}; p50 ${percentile(health.latencies, 50).toFixed(1)} ms, p99 ${healthP99.toFixed(1)} ms, max ${Math.max(...health.latencies).toFixed(1)} ms`,
        `exports of ${WORKS} works by 8 clients, read in full: ${exports.done}, statuses ${statuses(exports)}`,
        `non-reading export clients: 40, given an export: ${nonReadersExporting}, of which cut off by the server by the end: ${nonReadersCutOff}`,
        `unknown styles: ${unknownStyles.done}, statuses ${statuses(unknownStyles)}; style searches: ${styleSearches.done}, statuses ${statuses(styleSearches)}`,
        `server RSS: ${rssBefore.toFixed(0)} MB before the load, peak ${peakRss.toFixed(0)} MB`,
        `server event loop delay: p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms; machine load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`,
        '',
      ].join('\n'),
    )
    const failures = [
      normalFailed > 0 && `${normalFailed} normal requests failed`,
      health.failures > 0 && `${health.failures} health probes failed`,
      !(healthP99 < TARGETS.healthP99Ms) && `/health/live p99 ${healthP99.toFixed(1)} ms is not under ${TARGETS.healthP99Ms} ms`,
      !(peakRss < TARGETS.peakRssMb) && `peak RSS ${peakRss.toFixed(0)} MB is not under ${TARGETS.peakRssMb} MB`,
      exports.failed > 0 && `${exports.failed} exports failed`,
      unknownStyles.failed + styleSearches.failed > 0 && 'some style requests got an unexpected status',
    ].filter((failure): failure is string => typeof failure === 'string')
    for (const failure of failures) process.stdout.write(`FAIL: ${failure}\n`)
    return failures.length === 0 ? 0 : 1
  } finally {
    server.disconnect()
    await rm(directory, { recursive: true, force: true })
  }
}

process.exit(await main())
