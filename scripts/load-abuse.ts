// Load test under abuse (`npm run load:abuse`): the real server on 127.0.0.1 over a synthetic
// catalogue of 10,000 works and a directory of 10,380 styles, for LOAD_SECONDS (default 30), with the
// attacks running together with normal traffic:
// - 40 clients that ask for a 10,000-work export and never read it;
// - 8 clients exporting 10,000 works over and over, in the text formats, reading everything;
// - 20 requests a second for random unknown style names, and 20 for style searches;
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
import { connect, type Socket } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { syntheticCatalogue } from './synthetic-catalogue.js'
import type { LoopDelay } from './load-server.js'
import { writeSyntheticStyles } from './synthetic-styles.js'

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30)
const WORKS = 10_000
const STYLES = 10_380
const NON_READERS = 40
const EXPORTERS = 8
const UNKNOWN_STYLES_PER_SECOND = 20
const STYLE_SEARCHES_PER_SECOND = 20
const NORMAL_RATE = 100
const TARGETS = { healthP99Ms: 100, peakRssMb: 600 }
const EXPORT_FORMATS = ['bibtex', 'ris', 'endnote', 'csl-json', 'schema-org']

const percentile = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? Number.NaN

/** Random lower-case letters and hyphens: a style name nobody has. */
const randomName = (length: number) => Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz-'[Math.floor(Math.random() * 27)]).join('')

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

/** A client that asks for a whole export and reads nothing: what it costs the server is what the server holds for it. */
async function nonReader(port: number, index: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  socket.pause()
  socket.on('error', () => undefined)
  socket.write(
    `GET /citations?format=schema-org&rows=${WORKS} HTTP/1.1\r\nHost: load\r\nX-Forwarded-For: 10.1.0.${index}\r\nAccept-Encoding: identity\r\n\r\n`,
  )
  return socket
}

interface Tally {
  done: number
  failed: number
  readonly statuses: Map<number, number>
  /** The messages of the requests that failed without an answer. */
  readonly errors: Set<string>
}
const tally = (): Tally => ({ done: 0, failed: 0, statuses: new Map(), errors: new Set() })
const count = (into: Tally, status: number, expected: number) => {
  into.done++
  into.statuses.set(status, (into.statuses.get(status) ?? 0) + 1)
  if (status !== expected) into.failed++
}

async function exporter(base: string, index: number, until: number, exports: Tally): Promise<void> {
  for (let round = 0; Date.now() < until; round++) {
    const format = EXPORT_FORMATS[(index + round) % EXPORT_FORMATS.length] as string
    try {
      const response = await fetch(`${base}/citations?format=${format}&rows=${WORKS}`, {
        headers: { 'x-forwarded-for': `10.2.0.${index}`, 'accept-encoding': 'identity' },
      })
      await response.arrayBuffer()
      count(exports, response.status, 200)
    } catch (error) {
      count(exports, 0, 200)
      exports.errors.add(
        error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error),
      )
    }
  }
}

/** `perSecond` requests a second for `path()`, from their own address, until the end; each counted against `expected`. */
function steady(base: string, perSecond: number, address: string, path: () => string, expected: number, into: Tally): NodeJS.Timeout {
  return setInterval(() => {
    fetch(`${base}${path()}`, { headers: { 'x-forwarded-for': address } }).then(
      async (response) => {
        await response.arrayBuffer()
        count(into, response.status, expected)
      },
      () => count(into, 0, expected),
    )
  }, 1000 / perSecond)
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
  const sockets: Socket[] = []
  try {
    const [{ port }] = (await once(server, 'message')) as [{ port: number }]
    const base = `http://127.0.0.1:${port}`
    // The style index and the APA engine are built on first use, as after any start.
    await fetch(`${base}/styles?query=journal`)
    await fetch(`${base}/works/synthetic-0/citation?format=bibliography`)
    const rssBefore = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024

    const probe = healthProbe(base)
    const until = Date.now() + SECONDS * 1000
    for (let index = 0; index < NON_READERS; index++) sockets.push(await nonReader(port, index))
    const exports = tally()
    const exporting = Array.from({ length: EXPORTERS }, (_, index) => exporter(base, index, until, exports))
    const unknownStyles = tally()
    const styleSearches = tally()
    const timers = [
      steady(
        base,
        UNKNOWN_STYLES_PER_SECOND,
        '10.3.0.1',
        () => `/works/synthetic-1/citation?format=bibliography&style=${randomName(60)}`,
        400,
        unknownStyles,
      ),
      steady(
        base,
        STYLE_SEARCHES_PER_SECOND,
        '10.3.0.2',
        () => `/styles?query=${randomName(1 + Math.floor(Math.random() * 6))}`,
        200,
        styleSearches,
      ),
    ]
    const normal = await autocannon({ url: base, connections: 5, overallRate: NORMAL_RATE, duration: SECONDS, requests: normalRequests() })
    timers.forEach(clearInterval)
    await Promise.all(exporting)
    const health = await probe.stop()
    server.send('loop delay')
    const [loop] = (await once(server, 'message')) as [LoopDelay]
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8')
    const peakRss = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024
    const openNonReaders = sockets.filter((socket) => !socket.destroyed).length

    const normalFailed = normal.errors + normal.timeouts + normal.non2xx
    const healthP99 = percentile(health.latencies, 99)
    const statuses = (into: Tally) => JSON.stringify(Object.fromEntries(into.statuses))
    process.stdout.write(
      [
        `citeserve load test under abuse: ${SECONDS} s, ${WORKS} works, ${STYLES} styles, node ${process.version}`,
        `normal requests: ${normal.requests.total} at ${NORMAL_RATE}/s, failed ${normalFailed} (non-2xx ${normal.non2xx}, errors ${normal.errors}, timeouts ${normal.timeouts}); p50 ${normal.latency.p50} ms, p99 ${normal.latency.p99} ms, max ${normal.latency.max} ms`,
        `/health/live: ${health.latencies.length} probes, failed ${health.failures}; p50 ${percentile(health.latencies, 50).toFixed(1)} ms, p99 ${healthP99.toFixed(1)} ms, max ${Math.max(...health.latencies).toFixed(1)} ms`,
        `exports of ${WORKS} works by ${EXPORTERS} clients: ${exports.done} done, statuses ${statuses(exports)}${exports.errors.size > 0 ? ` (${[...exports.errors].join('; ')})` : ''}`,
        `non-reading export clients: ${NON_READERS}, still connected at the end ${openNonReaders}`,
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
    for (const socket of sockets) socket.destroy()
    server.disconnect()
    await rm(directory, { recursive: true, force: true })
  }
}

process.exit(await main())
