// `BENCH_PARTS=scale npm run bench`: the catalogue stores at scale, on a synthetic catalogue of each
// of BENCH_SIZES works, for each store of BENCH_STORE (`file`, `postgres`, or both: `file,postgres`):
// loading the works into the store, start to ready, memory, lookups with and without the caches, a
// two-word query, a cursor walk over every work, and how soon a write is seen by another replica.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeCatalogueFile } from '../scripts/catalogue-file.js'
import { syntheticWorks } from '../scripts/synthetic-catalogue.js'
import {
  capture,
  load,
  median,
  medianLoad,
  ms,
  percentile,
  rssMb,
  startProcess,
  stop,
  table,
  type Load,
  type PartSettings,
  type Running,
} from './lib.js'
import type { CatalogueSource, StoreBackend, StoreName } from './store-backend.js'
import { storeBackends } from './store-backends.js'

export interface StoreScaleSettings extends PartSettings {
  readonly stores: readonly StoreName[]
  readonly sizes: readonly number[]
}

/** Words of the synthetic titles, abstracts and names, for queries that the caches cannot have seen. */
const QUERY_WORDS = [
  'melanoma',
  'cytokines',
  'immunotherapy',
  'coral',
  'reefs',
  'microbiome',
  'antibiotic',
  'resistance',
  'protein',
  'folding',
  'expression',
  'clinical',
  'trials',
  'acidification',
  'algorithms',
  'tumour',
  'cohort',
  'review',
  'evidence',
  'muller',
  'garcia',
  'nakamura',
  'novak',
  'chen',
]
/** Writes timed for their visibility on the other replica: this many, or as many as fit in the time. */
const WRITES = 40
const WRITING_MS = 60_000
const CURSOR_ROWS = 1000

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T

interface Sample {
  readonly ids: readonly string[]
  readonly middle: string
}

/** The ids of the synthetic catalogue of `size` works, for lookups across the whole catalogue. */
function sampleOf(size: number): Sample {
  const ids: string[] = []
  for (const item of syntheticWorks(size)) ids.push(String(item.id))
  return { ids, middle: ids[Math.floor(size / 2)] as string }
}

/** The catalogue of `size` works, written to `file` when a store first needs it. */
function catalogueSource(file: string, size: number): CatalogueSource {
  let written: Promise<string> | undefined
  return {
    size,
    file: () => (written ??= writeCatalogueFile(file, syntheticWorks(size)).then(() => file)),
  }
}

/**
 * Waits until the server answers a list again: statements of the queries measured before may still be
 * running in the database (until its statement time-out), and the store refuses with 503 meanwhile.
 */
async function settled(base: string): Promise<void> {
  const deadline = performance.now() + 60_000
  while ((await fetch(`${base}/works?rows=1`).then((response) => response.status)) !== 200) {
    if (performance.now() > deadline) throw new Error('the server still refuses lists a minute after the queries')
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** Follows `next-cursor` from the first page of `/works` to the last; throws unless every work came once. */
async function cursorWalk(base: string, size: number): Promise<number> {
  await settled(base)
  const started = performance.now()
  const seen = new Set<string>()
  let cursor: string | undefined = '*'
  while (cursor !== undefined) {
    const response = await fetch(`${base}/works?rows=${CURSOR_ROWS}&cursor=${encodeURIComponent(cursor)}`)
    if (response.status !== 200) throw new Error(`cursor walk: ${response.status} after ${seen.size} works`)
    const { message } = (await response.json()) as { message: { items: { id: string }[]; 'next-cursor'?: string } }
    for (const { id } of message.items) seen.add(id)
    cursor = message.items.length === 0 ? undefined : message['next-cursor']
  }
  if (seen.size !== size) throw new Error(`cursor walk: ${seen.size} distinct works of ${size}`)
  return performance.now() - started
}

/**
 * Changes works through the store (a replica's write) and polls the other replica until it serves the
 * change: milliseconds from the start of each write to the first answer with it.
 */
async function writeVisibility(backend: StoreBackend, other: Running, ids: readonly string[]): Promise<number[]> {
  const writer = await backend.writer()
  const delays: number[] = []
  try {
    const writing = performance.now()
    for (let index = 0; index < WRITES && performance.now() - writing < WRITING_MS; index++) {
      const id = pick(ids)
      const title = `Revised ${index} ${Math.random()}`
      const started = performance.now()
      await writer.retitle(id, title)
      for (;;) {
        const response = await fetch(`${other.base}/works/${id}`, { headers: { accept: 'application/json' } })
        if (((await response.json()) as { message: { title?: string } }).message.title === title) break
        if (performance.now() - started > 120_000) throw new Error(`write of ${id} not visible after 120 s`)
      }
      delays.push(performance.now() - started)
    }
  } finally {
    await writer.close()
  }
  return delays
}

/** A store with its catalogue loaded and a server started on it, or why the server would not start. */
interface Started {
  readonly backend: StoreBackend
  readonly loadMs: number | undefined
  readonly serverEnv: Record<string, string>
  readonly readyTimes: number[]
  readonly readyRss: number
  readonly server?: Running
  readonly failure?: string
}

/** Loads the catalogue into the store, then starts a server on it `rounds` times, keeping the last one. */
async function startStore(backend: StoreBackend, catalogue: CatalogueSource, settings: StoreScaleSettings): Promise<Started> {
  const { rounds, server: script, env, progress } = settings
  const say = (text: string) => progress(`${backend.name}, ${catalogue.size} works: ${text}`)
  say('loading')
  const { env: storeEnv, loadMs } = await backend.prepare(catalogue)
  const serverEnv = { ...env, ...storeEnv }
  const readyTimes: number[] = []
  let server: Running | undefined
  for (let round = 0; round < rounds; round++) {
    say(`start ${round + 1} of ${rounds}`)
    if (server) await stop(server)
    try {
      server = await startProcess(script, serverEnv, '/health/ready')
    } catch (error) {
      return { backend, loadMs, serverEnv, readyTimes, readyRss: Number.NaN, failure: `does not start: ${(error as Error).message}` }
    }
    readyTimes.push(server.readyMs)
  }
  return { backend, loadMs, serverEnv, readyTimes, server: server as Running, readyRss: rssMb(server as Running) }
}

/**
 * The same work asked for again and again of each store's server and, for the same body length, of
 * bare Fastify, all in turns within each round: the CPU each spends per request, medians.
 */
async function cachedLookups(
  servers: readonly Running[],
  bare: Running,
  path: string,
  settings: StoreScaleSettings,
): Promise<{ own: number[]; bare: number }> {
  const { rounds, seconds, connections, progress } = settings
  const { bytes } = await capture(`${servers[0]?.base}${path}`)
  for (const server of servers) await load(`${server.base}${path}`, 1, connections)
  await load(`${bare.base}/bytes/${bytes}`, 1, connections)
  const own: Load[][] = servers.map(() => [])
  const plain: Load[] = []
  for (let round = 0; round < rounds; round++) {
    progress(`cached lookups, round ${round + 1} of ${rounds}`)
    for (const [index, server] of servers.entries())
      own[index]?.push(await load(`${server.base}${path}`, seconds, connections, {}, 200, server))
    plain.push(await load(`${bare.base}/bytes/${bytes}`, seconds, connections, {}, 200, bare))
  }
  return { own: own.map((runs) => medianLoad(runs).cpuUs ?? Number.NaN), bare: medianLoad(plain).cpuUs ?? Number.NaN }
}

/** Lookups of any work, two-word queries, the cursor walk and the writes, on a started store's server. */
async function servedFigures(
  started: Started,
  running: Running,
  size: number,
  sample: Sample,
  settings: StoreScaleSettings,
): Promise<string[]> {
  const { rounds, seconds, connections, server: script, progress } = settings
  const say = (text: string) => progress(`${started.backend.name}, ${size} works: ${text}`)
  const lookup = { base: running.base, nextPath: () => `/works/${pick(sample.ids)}` }
  const twoWords = { base: running.base, nextPath: () => `/works?rows=20&query=${pick(QUERY_WORDS)}+${pick(QUERY_WORDS)}` }
  // One client gives a request's own latency; the connections add what requests wait for each other
  // on a machine whose cores the server shares with the database and the client.
  const latencies = { lookups: { alone: [] as Load[], together: [] as Load[] }, queries: { alone: [] as Load[], together: [] as Load[] } }
  // Every round of lookups comes before the queries: a query's statement goes on in the database after
  // its client has gone, and would slow the lookups of the next round.
  for (const [kind, requests] of [
    ['lookups', lookup],
    ['queries', twoWords],
  ] as const) {
    for (let round = 0; round < rounds; round++) {
      say(`${kind}, round ${round + 1} of ${rounds}`)
      // A query the store refuses (a statement that outlasts its time-out) is counted, not fatal.
      latencies[kind].alone.push(await load(requests, seconds, 1, {}, 200, undefined, true))
      latencies[kind].together.push(await load(requests, seconds, connections, {}, 200, undefined, true))
    }
  }
  say('cursor walk')
  const walkMs = await cursorWalk(running.base, size)
  const afterRss = rssMb(running)
  say('writes seen by a second replica')
  const second = await startProcess(script, started.serverEnv, '/health/ready')
  let delays: number[]
  try {
    delays = await writeVisibility(started.backend, second, sample.ids)
  } finally {
    await stop(second)
  }
  const refused = (figures: Load) => (figures.refused === 0 ? '' : ` (${figures.refused} refused)`)
  const percentiles = (runs: Load[]) => {
    const figures = medianLoad(runs)
    return `${ms(figures.p50)} / ${ms(figures.p99)}${refused(figures)}`
  }
  const both = ({ alone, together }: { alone: Load[]; together: Load[] }) => `${percentiles(alone)}; ${percentiles(together)}`
  return [
    `${ms(started.readyRss)} / ${ms(afterRss)}`,
    both(latencies.lookups),
    both(latencies.queries),
    ms(walkMs / 1000),
    `${ms(percentile(delays, 0.5))} / ${ms(Math.max(...delays))} (${delays.length})`,
  ]
}

/** One row a store for one catalogue size; the stores' servers run side by side for the cached lookups. */
async function measureSize(size: number, directory: string, bare: Running, settings: StoreScaleSettings): Promise<string[][]> {
  settings.progress(`store: generating ${size} works`)
  const file = join(directory, `works-${size}.json`)
  const sample = sampleOf(size)
  const catalogue = catalogueSource(file, size)
  const backends = settings.stores.map((name) => storeBackends[name]())
  const started: Started[] = []
  try {
    for (const backend of backends) started.push(await startStore(backend, catalogue, settings))
    const running = started.flatMap(({ server }) => (server ? [server] : []))
    const cached =
      running.length > 0 ? await cachedLookups(running, bare, `/works/${sample.middle}`, settings) : { own: [], bare: Number.NaN }
    const fileIndex = started.filter(({ server }) => server).findIndex(({ backend }) => backend.name === 'file')
    const fileCpu = cached.own[fileIndex]
    const rows: string[][] = []
    let index = 0
    for (const store of started) {
      const head = [store.backend.name, size.toLocaleString('en'), store.loadMs === undefined ? '—' : ms(store.loadMs / 1000)]
      if (store.server === undefined) {
        rows.push([...head, store.failure ?? '', ...Array<string>(7).fill('—')])
        continue
      }
      const own = cached.own[index++] ?? Number.NaN
      const served = await servedFigures(store, store.server, size, sample, settings)
      await stop(store.server)
      rows.push([
        ...head,
        ms(median(store.readyTimes)),
        served[0] as string,
        `${own.toFixed(1)} (bare ${cached.bare.toFixed(1)}, ratio ${(cached.bare / own).toFixed(2)})`,
        fileCpu === undefined || store.backend.name === 'file' ? '—' : (own / fileCpu).toFixed(2),
        ...served.slice(1),
      ])
    }
    return rows
  } finally {
    for (const { server } of started) if (server) await stop(server)
    for (const backend of backends) await backend.cleanup()
    await rm(file, { force: true })
  }
}

export async function storeAtScale(settings: StoreScaleSettings): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-store-bench-'))
  const bare = await startProcess('bench/bare-server.ts', {}, '/bytes/0')
  const rows: string[][] = []
  try {
    for (const size of settings.sizes) rows.push(...(await measureSize(size, directory, bare, settings)))
  } finally {
    await stop(bare)
    await rm(directory, { recursive: true, force: true })
  }
  return table(
    [
      'store',
      'works',
      'load, s',
      'start to ready, ms',
      'RSS ready / after, MB',
      'cached lookup, CPU µs/req',
      'cached lookup CPU / file store’s',
      `uncached lookup p50 / p99, ms (1 client; ${settings.connections} connections)`,
      `two-word query p50 / p99, ms (1 client; ${settings.connections} connections)`,
      'cursor walk, s',
      'write seen by a 2nd replica p50 / max, ms (writes)',
    ],
    rows,
  )
}
