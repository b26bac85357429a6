// `npm run bench`: citeserve against bare Fastify on loopback, then citeserve at growing catalogue sizes.
// Prints Markdown tables (progress goes to stderr). Each figure is the median of BENCH_ROUNDS runs of
// BENCH_SECONDS each, because the machine is shared; the two servers take turns within each round.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { syntheticCatalogue } from '../scripts/synthetic-catalogue.js'
import { fileStoreCosts } from './file-store.js'
import { importBenchFormats, importStreams } from './import-stream.js'
import { oaiHarvests } from './oai-harvest.js'
import { queryBenchmark } from './queries.js'
import { proxyAgainstBare } from './proxy.js'
import { storeAtScale } from './store-scale.js'
import { storeNames } from './store-backends.js'
import {
  capture,
  load,
  longestStall,
  median,
  medianLoad,
  ms,
  ROOT,
  rssMb,
  startProcess,
  stop,
  table,
  type Load,
  type Running,
} from './lib.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const SIZES = (process.env.BENCH_SIZES ?? '1,10000,100000').split(',').map(Number)
// Which parts run: `BENCH_PARTS=cold` times only the first renders, for instance.
const PARTS = new Set((process.env.BENCH_PARTS ?? 'bare,cold,sizes').split(','))
// The stores `BENCH_PARTS=scale` and `queries` measure, in this order: `file`, `postgres` or both.
const STORES = storeNames(process.env.BENCH_STORE ?? 'file')
// A large official style (Debian's package), compiled on its first request; skipped where absent.
const LARGE_STYLE = 'apa-no-initials'
const LARGE_STYLE_FILE = `/usr/share/citation-style-language/styles/${LARGE_STYLE}.csl`

// What `npm start` runs: the compiled server, compiled here first so that no timed start compiles it.
const SERVER = 'scripts/start.mjs'
execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
// Request logging off where requests per second and startup are measured; the comparison with bare
// Fastify keeps it on.
const QUIET = { LOG_LEVEL: 'warn' }
// First renders are timed as long as they take: on a busy machine a cold style can outlast the
// default 10 s answer timeout, which would measure the timeout instead.
const PATIENT = { ...QUIET, REQUEST_TIMEOUT: '60' }
const ID = 'interleukin-2-in-cancer-2005'
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`)

/**
 * Each cached route of citeserve, with its access log on (one line per request, as in production),
 * against bare Fastify answering a constant string of the same length, the two in turns within each
 * round. The figure that counts is the server process's CPU time per request: unlike requests per
 * second, it hardly depends on what else the machine runs. The ratio is bare Fastify's CPU per request
 * over citeserve's: 1 would be no cost at all for everything citeserve does besides sending the bytes.
 */
async function compareWithBare(): Promise<string> {
  const citeserve = await startProcess(SERVER, { LOG_LEVEL: 'info' }, '/health/ready')
  const routes: { name: string; path: string; headers: Record<string, string> }[] = [
    { name: 'metadata JSON', path: `/works/${ID}`, headers: {} },
    { name: 'BibTeX', path: `/works/${ID}/citation?format=bibtex`, headers: {} },
    { name: 'RIS', path: `/works/${ID}/citation?format=ris`, headers: {} },
    { name: 'CSL-JSON', path: `/works/${ID}/citation?format=csl-json`, headers: {} },
    { name: 'APA text', path: `/works/${ID}/citation?format=bibliography`, headers: {} },
    { name: '`/works` page', path: '/works?rows=20', headers: {} },
  ]
  // autocannon sends no Accept-Encoding, so the tag is that of the identity body.
  const etag = (await capture(`${citeserve.base}/works/${ID}`)).headers.etag
  if (etag === undefined) throw new Error('citeserve sent no ETag')
  routes.push({ name: '304 Not Modified', path: `/works/${ID}`, headers: { 'if-none-match': etag } })
  const bare = await startProcess('bench/bare-server.ts', {}, '/bytes/0')
  const rows: string[][] = []
  for (const { name, path, headers } of routes) {
    const { status, bytes } = await capture(`${citeserve.base}${path}`, headers)
    // A second of each first, so that both servers run JIT-compiled code when measured.
    await load(`${citeserve.base}${path}`, 1, CONNECTIONS, headers, status)
    await load(`${bare.base}/bytes/${bytes}`, 1, CONNECTIONS)
    const runs: { own: Load; plain: Load }[] = []
    for (let round = 0; round < ROUNDS; round++) {
      progress(`${name}, round ${round + 1} of ${ROUNDS}`)
      const own = await load(`${citeserve.base}${path}`, SECONDS, CONNECTIONS, headers, status, citeserve)
      const plain = await load(`${bare.base}/bytes/${bytes}`, SECONDS, CONNECTIONS, {}, 200, bare)
      runs.push({ own, plain })
    }
    const own = medianLoad(runs.map((run) => run.own))
    const plain = medianLoad(runs.map((run) => run.plain))
    const ownCpu = own.cpuUs ?? Number.NaN
    const plainCpu = plain.cpuUs ?? Number.NaN
    rows.push([
      name,
      String(bytes),
      Math.round(own.rps).toString(),
      ownCpu.toFixed(1),
      Math.round(plain.rps).toString(),
      plainCpu.toFixed(1),
      (plainCpu / ownCpu).toFixed(2),
    ])
  }
  await stop(citeserve)
  await stop(bare)
  return table(['route', 'bytes', 'req/s', 'CPU µs/req', 'bare req/s', 'bare CPU µs/req', 'ratio (bare CPU / CPU)'], rows)
}

// Headers every server sets for itself, or that describe the body rather than the answer.
const OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

/**
 * Where citeserve's CPU per cached request goes: bare Fastify, the pipeline's floor (as many hooks as
 * citeserve's, doing nothing, its time-outs and the same headers; bench/pipeline-server.ts), and
 * citeserve itself, on the cached BibTeX route, in turns within each round.
 */
async function pipelineFloor(): Promise<string> {
  const citeserve = await startProcess(SERVER, { LOG_LEVEL: 'info' }, '/health/ready')
  const path = `/works/${ID}/citation?format=bibtex`
  const { bytes, headers } = await capture(`${citeserve.base}${path}`)
  const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => !OWN_HEADERS.has(name)))
  // As on the wire: name, ": ", value, CRLF.
  const headerBytes = Object.entries(sent).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0)
  const servers = [
    { name: 'bare Fastify', running: await startProcess('bench/bare-server.ts', {}, '/bytes/0'), path: `/bytes/${bytes}` },
    {
      name: 'pipeline floor',
      running: await startProcess('bench/pipeline-server.ts', { PIPELINE_HEADERS: JSON.stringify(sent) }, '/bytes/0'),
      path: `/bytes/${bytes}`,
    },
    { name: 'citeserve', running: citeserve, path },
  ]
  const runs = servers.map((): Load[] => [])
  for (const { running, path: asked } of servers) await load(`${running.base}${asked}`, 1, CONNECTIONS)
  for (let round = 0; round < ROUNDS; round++) {
    progress(`pipeline floor, round ${round + 1} of ${ROUNDS}`)
    for (const [index, { running, path: asked }] of servers.entries())
      runs[index]?.push(await load(`${running.base}${asked}`, SECONDS, CONNECTIONS, {}, 200, running))
  }
  for (const { running } of servers) await stop(running)
  const cpu = runs.map((measured) => medianLoad(measured).cpuUs ?? Number.NaN)
  const bare = cpu[0] ?? Number.NaN
  return table(
    ['server', 'header bytes', 'CPU µs/req', 'ratio (bare CPU / CPU)'],
    servers.map(({ name }, index) => [
      name,
      index === 0 ? '—' : String(headerBytes),
      (cpu[index] ?? Number.NaN).toFixed(1),
      (bare / (cpu[index] ?? Number.NaN)).toFixed(2),
    ]),
  )
}

/** The first bibliography of a style on a fresh server: how long it takes and how long it stalls other requests. */
async function coldRenders(): Promise<string> {
  const rows: string[][] = []
  const first = async (server: Running, label: string, path: string) => {
    let took = 0
    const stall = await longestStall(server.base, async () => {
      const started = performance.now()
      const response = await fetch(`${server.base}${path}`)
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`)
      took = performance.now() - started
    })
    rows.push([label, ms(took), ms(stall)])
  }
  for (let round = 0; round < ROUNDS; round++) {
    progress(`cold renders, round ${round + 1} of ${ROUNDS}`)
    const unwarmed = await startProcess(SERVER, { ...PATIENT, WARM_WORKS: '0' }, '/health/ready')
    await first(unwarmed, 'APA, no warm-up (`WARM_WORKS=0`)', `/works/${ID}/citation?format=bibliography`)
    await stop(unwarmed)
    const warmed = await startProcess(SERVER, PATIENT, '/health/ready')
    await first(warmed, 'APA, warmed up before ready (default)', `/works/${ID}/citation?format=bibliography`)
    await first(warmed, 'Vancouver, first of its style', `/works/${ID}/citation?format=bibliography&style=vancouver`)
    if (existsSync(LARGE_STYLE_FILE))
      await first(
        warmed,
        `${LARGE_STYLE} (Debian, 70 kB), first of its style`,
        `/works/${ID}/citation?format=bibliography&style=${LARGE_STYLE}`,
      )
    await stop(warmed)
  }
  const labels = [...new Set(rows.map((row) => row[0] as string))]
  const medians = labels.map((label) => {
    const mine = rows.filter((row) => row[0] === label)
    return [label, ms(median(mine.map((row) => Number(row[1])))), ms(median(mine.map((row) => Number(row[2]))))]
  })
  return table(['first request', 'ms', 'longest stall of /health/live, ms'], medians)
}

/** A SIGHUP reload of the same file: until /metrics counts it, and the longest a cheap request waited meanwhile. */
async function reloadTimes(server: Running): Promise<{ ms: number; stall: number }> {
  const reloaded = async () =>
    (await (await fetch(`${server.base}/metrics`)).text()).match(/^citeserve_catalogue_reloads_total\{result="success"\} (\d+)/m)?.[1]
  const before = await reloaded()
  let took = 0
  const stall = await longestStall(server.base, async () => {
    const started = performance.now()
    server.child.kill('SIGHUP')
    while ((await reloaded()) === before) await new Promise((resolve) => setTimeout(resolve, 20))
    took = performance.now() - started
  })
  return { ms: took, stall }
}

async function catalogueSizes(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-bench-'))
  const rows: string[][] = []
  try {
    for (const size of SIZES) {
      progress(`generating ${size} records`)
      const items = syntheticCatalogue(size)
      const file = join(directory, `works-${size}.json`)
      await writeFile(file, JSON.stringify(items))
      const middle = items[Math.floor(size / 2)] as (typeof items)[number]
      const paths = {
        id: `/works/${middle.id}`,
        doi: `/works/${middle.DOI}`,
        query: '/works?query=melanoma+cytokines&rows=20',
        'query, offset 100': '/works?query=melanoma&rows=20&offset=100',
      }
      items.length = 0
      const readyTimes: number[] = []
      let server: Running | undefined
      for (let round = 0; round < ROUNDS; round++) {
        progress(`${size} records: start ${round + 1} of ${ROUNDS}`)
        if (server) await stop(server)
        server = await startProcess(SERVER, { ...QUIET, DATA_FILE: file }, '/health/ready')
        readyTimes.push(server.readyMs)
      }
      const running = server as Running
      const readyRss = rssMb(running)
      const loads: string[] = []
      for (const [name, path] of Object.entries(paths)) {
        const runs: Load[] = []
        for (let round = 0; round < ROUNDS; round++) {
          progress(`${size} records: ${name}, round ${round + 1} of ${ROUNDS}`)
          runs.push(await load(`${running.base}${path}`, SECONDS, CONNECTIONS))
        }
        const { rps, p50, p99 } = medianLoad(runs)
        loads.push(`${Math.round(rps)} / ${ms(p50)} / ${ms(p99)}`)
      }
      const afterLoadRss = rssMb(running)
      progress(`${size} records: reload`)
      const reload = await reloadTimes(running)
      rows.push([
        size.toLocaleString('en'),
        ms(median(readyTimes)),
        ms(readyRss),
        ms(afterLoadRss),
        ...loads,
        `${ms(reload.ms)} / ${ms(reload.stall)}`,
      ])
      await stop(running)
    }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
  return table(
    [
      'works',
      'start to ready, ms',
      'RSS ready, MB',
      'RSS after load, MB',
      'by id',
      'by DOI',
      '`query=`',
      '`query=`, offset 100',
      'SIGHUP reload, ms / longest stall, ms',
    ],
    rows,
  )
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node.js ${process.version}, load average at start ${loadavg()
  .map((value) => value.toFixed(1))
  .join(' ')}`
const settings = `${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections, medians`
const sections: [string, string, () => Promise<string>][] = [
  ['bare', 'Cached routes against bare Fastify (bundled catalogue, access log on; CPU is the server process’s)', compareWithBare],
  ['floor', 'Cached BibTeX: bare Fastify, the pipeline’s floor and citeserve (CPU is each server process’s)', pipelineFloor],
  ['cold', 'First render of a style', coldRenders],
  ['sizes', 'Catalogue sizes (req/s / p50 ms / p99 ms)', catalogueSizes],
  [
    'proxy',
    'Repeated requests through the nginx caching proxy against bare Fastify',
    () => proxyAgainstBare({ seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, server: SERVER, env: QUIET, progress }),
  ],
  [
    'scale',
    'Catalogue stores at scale (p50 / p99 in ms; CPU is the server process’s)',
    () =>
      storeAtScale({
        stores: STORES,
        sizes: SIZES,
        seconds: SECONDS,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        server: SERVER,
        env: QUIET,
        progress,
      }),
  ],
  [
    'queries',
    'Crossref-style queries of `/works`, one client (req/s, p50, p99, server CPU per request)',
    () => queryBenchmark({ sizes: SIZES, stores: STORES, seconds: SECONDS, rounds: ROUNDS, server: SERVER, env: QUIET, progress }),
  ],
  [
    'oai',
    'Whole OAI-PMH harvests, ListRecords in oai_dc',
    () => oaiHarvests({ sizes: SIZES, rounds: ROUNDS, server: SERVER, env: QUIET, progress }),
  ],
  ['store', 'The file store’s data file: open, write, reload', () => fileStoreCosts({ sizes: SIZES, rounds: ROUNDS, progress })],
  [
    'import',
    '`citeserve import` of large RIS and BibTeX files into a new data file',
    () =>
      importStreams({
        records: Number(process.env.BENCH_IMPORT_RECORDS ?? 1_000_000),
        formats: importBenchFormats(process.env.BENCH_IMPORT_FORMATS ?? 'ris,bibtex'),
        progress,
      }),
  ],
]
const output = [`Machine: ${machine}. ${settings}.`, '']
for (const [part, title, run] of sections) if (PARTS.has(part)) output.push(`### ${title}`, '', await run(), '')
process.stdout.write(output.join('\n'))
