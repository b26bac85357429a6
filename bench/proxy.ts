// `BENCH_PARTS=proxy npm run bench`: repeated requests answered by the nginx caching proxy of
// deploy/nginx (Debian's nginx, no access log) in front of citeserve, against bare Fastify sending a
// constant body of the same length, in turns within each round; medians.
import { readFileSync } from 'node:fs'
import { startCachingProxy, type CachingProxy } from '../test/fixtures/caching-proxy.js'
import { capture, cpuMs, load, median, startProcess, stop, table, type CapturedResponse, type PartSettings } from './lib.js'

const ID = 'interleukin-2-in-cancer-2005'
const ROUTES: [string, string][] = [
  ['metadata JSON', `/works/${ID}`],
  ['BibTeX', `/works/${ID}/citation?format=bibtex`],
  ['APA text', `/works/${ID}/citation?format=bibliography`],
  ['`/works` page', '/works?rows=20'],
]

/** Requests citeserve has answered, by its own count, leaving out its /metrics route. */
async function answeredByNode(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  const counts = [...text.matchAll(/^citeserve_http_requests_total\{route="([^"]*)"[^}]*\} (\d+)$/gm)]
  return counts.filter(([, route]) => route !== '/metrics').reduce((sum, [, , count]) => sum + Number(count), 0)
}

/** CPU time nginx has used so far, its master and its workers together, in milliseconds. */
function nginxCpuMs({ child }: CachingProxy): number {
  const workers = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
  return [child.pid, ...workers].reduce((sum: number, pid) => sum + cpuMs({ child: { pid } }), 0)
}

interface Measured {
  readonly rps: number
  /** Microseconds of the serving processes' CPU time per answered request. */
  readonly cpuUs: number
  /** Microseconds of the client's (this process's autocannon's) CPU time per answered request. */
  readonly clientUs: number
}

/** The bytes of an answer's header fields, as sent: `name: value` and CRLF each. */
const headerBytes = ({ headers }: CapturedResponse) =>
  Object.entries(headers).reduce((sum, [name, value]) => sum + Buffer.byteLength(`${name}: ${value}\r\n`), 0)

/** `load`, with the CPU time `cpu` counts per request: steadier than requests per second on a shared machine. */
async function measured(url: string, seconds: number, connections: number, cpu: () => number): Promise<Measured> {
  const before = cpu()
  const client = process.cpuUsage()
  const { rps } = await load(url, seconds, connections)
  const used = process.cpuUsage(client)
  return { rps, cpuUs: ((cpu() - before) * 1000) / (rps * seconds), clientUs: (used.user + used.system) / (rps * seconds) }
}

/**
 * Two proxies, with one nginx worker and with one per core (Debian's default), against bare Fastify
 * sending a constant string of the body's length with its few default headers.
 */
export async function proxyAgainstBare({ seconds, rounds, connections, server, env, progress }: PartSettings): Promise<string> {
  // Answers stay fresh for the whole benchmark, so that every timed request is a hit.
  const citeserve = await startProcess(server, { ...env, CACHE_MAX_AGE: '3600' }, '/health/ready')
  const upstream = citeserve.base.replace('http://', '')
  const proxies: [string, CachingProxy][] = [
    ['1 worker', await startCachingProxy(upstream, 1)],
    ['auto workers', await startCachingProxy(upstream, 'auto')],
  ]
  const answers: CapturedResponse[] = []
  for (const [, path] of ROUTES) {
    for (const [, proxy] of proxies) await capture(`${proxy.base}${path}`)
    // The first request filled each cache; every later one must be a hit.
    const answer = await capture(`${proxies[0]?.[1].base}${path}`)
    if (answer.status !== 200 || answer.headers['x-cache-status'] !== 'HIT') throw new Error(`${path}: ${answer.status}, not a hit`)
    answers.push(answer)
  }
  const bare = await startProcess('bench/bare-server.ts', {}, '/bytes/0')
  const rows: string[][] = []
  try {
    for (const [index, [name, path]] of ROUTES.entries()) {
      const answer = answers[index] as CapturedResponse
      const { bytes } = answer
      const bareHeaderBytes = headerBytes(await capture(`${bare.base}/bytes/${bytes}`))
      const bareCpu = () => cpuMs(bare)
      const targets: [string, () => number][] = [
        ...proxies.map(([, proxy]): [string, () => number] => [`${proxy.base}${path}`, () => nginxCpuMs(proxy)]),
        [`${bare.base}/bytes/${bytes}`, bareCpu],
      ]
      // A second of each first, so that both run JIT-compiled code and warm caches when measured.
      for (const [url] of targets) await load(url, 1, connections)
      const reachedBefore = await answeredByNode(citeserve.base)
      const runs: Measured[][] = []
      for (let round = 0; round < rounds; round++) {
        progress(`proxy, ${name}, round ${round + 1} of ${rounds}`)
        const run: Measured[] = []
        for (const [url, cpu] of targets) run.push(await measured(url, seconds, connections, cpu))
        runs.push(run)
      }
      const reached = (await answeredByNode(citeserve.base)) - reachedBefore
      const each = targets.map((_, target) => runs.map((run) => run[target] as Measured))
      const plain = proxies.length
      // Each ratio is taken within a round, where both sides met the same load from elsewhere.
      const ratio = (target: number, baseline: number) =>
        median(runs.map((run) => (run[target] as Measured).rps / (run[baseline] as Measured).rps)).toFixed(2)
      rows.push([
        name,
        String(bytes),
        `${headerBytes(answer)} / ${bareHeaderBytes}`,
        ...each.map((loads) => Math.round(median(loads.map((one) => one.rps))).toString()),
        ...proxies.map((_, target) => ratio(target, plain)),
        ...each.map((loads) => median(loads.map((one) => one.cpuUs)).toFixed(1)),
        ...each.map((loads) => median(loads.map((one) => one.clientUs)).toFixed(1)),
        String(reached),
      ])
    }
  } finally {
    for (const [, proxy] of proxies) await proxy.stop()
    await stop(citeserve)
    await stop(bare)
  }
  return table(
    [
      'route',
      'bytes',
      'header bytes, proxy / bare',
      ...[...proxies.map(([workers]) => `proxy, ${workers}`), 'bare Fastify'].map((target) => `${target}: req/s`),
      ...proxies.map(([workers]) => `${workers}: req/s ratio to bare`),
      ...[...proxies.map(([workers]) => `proxy, ${workers}`), 'bare Fastify'].map((target) => `${target}: CPU µs/req`),
      ...[...proxies.map(([workers]) => `proxy, ${workers}`), 'bare Fastify'].map((target) => `${target}: client CPU µs/req`),
      'requests that reached citeserve',
    ],
    rows,
  )
}
