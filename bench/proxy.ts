// `BENCH_PARTS=proxy npm run bench`: repeated requests answered by the nginx caching proxy of
// deploy/nginx (Debian's nginx, one worker, no access log) in front of citeserve, against bare Fastify
// sending a constant body of the same length, in turns within each round; medians.
import { startCachingProxy } from '../test/fixtures/caching-proxy.js'
import { capture, load, median, medianLoad, startProcess, stop, table, type Load } from './lib.js'

export interface ProxySettings {
  readonly seconds: number
  readonly rounds: number
  readonly connections: number
  /** The entry point that starts citeserve, and its environment. */
  readonly server: string
  readonly env: Record<string, string>
  readonly progress: (text: string) => void
}

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

export async function proxyAgainstBare({ seconds, rounds, connections, server, env, progress }: ProxySettings): Promise<string> {
  // Answers stay fresh for the whole benchmark, so that every timed request is a hit.
  const citeserve = await startProcess(server, { ...env, CACHE_MAX_AGE: '3600' }, '/health/ready')
  const proxy = await startCachingProxy(citeserve.base.replace('http://', ''))
  const bare = await startProcess('bench/bare-server.ts', {}, '/bytes/0')
  const rows: string[][] = []
  try {
    for (const [name, path] of ROUTES) {
      // The first request fills the cache; every later one must be a hit.
      await capture(`${proxy.base}${path}`)
      const { status, bytes, headers } = await capture(`${proxy.base}${path}`)
      if (status !== 200 || headers['x-cache-status'] !== 'HIT') throw new Error(`${path}: ${status}, ${headers['x-cache-status']}`)
      await load(`${proxy.base}${path}`, 1, connections)
      await load(`${bare.base}/bytes/${bytes}`, 1, connections)
      const reachedBefore = await answeredByNode(citeserve.base)
      const runs: { proxied: Load; plain: Load }[] = []
      for (let round = 0; round < rounds; round++) {
        progress(`proxy, ${name}, round ${round + 1} of ${rounds}`)
        runs.push({
          proxied: await load(`${proxy.base}${path}`, seconds, connections),
          plain: await load(`${bare.base}/bytes/${bytes}`, seconds, connections),
        })
      }
      const reached = (await answeredByNode(citeserve.base)) - reachedBefore
      const proxied = medianLoad(runs.map((run) => run.proxied))
      const plain = medianLoad(runs.map((run) => run.plain))
      const ratio = median(runs.map((run) => run.proxied.rps / run.plain.rps))
      rows.push([
        name,
        String(bytes),
        Math.round(proxied.rps).toString(),
        proxied.p50.toFixed(1),
        proxied.p99.toFixed(1),
        Math.round(plain.rps).toString(),
        plain.p50.toFixed(1),
        plain.p99.toFixed(1),
        ratio.toFixed(2),
        String(reached),
      ])
    }
  } finally {
    await proxy.stop()
    await stop(citeserve)
    await stop(bare)
  }
  return table(
    [
      'route',
      'bytes',
      'proxy req/s',
      'proxy p50 ms',
      'proxy p99 ms',
      'bare Fastify req/s',
      'bare p50 ms',
      'bare p99 ms',
      'ratio (median of rounds)',
      'requests that reached citeserve',
    ],
    rows,
  )
}
