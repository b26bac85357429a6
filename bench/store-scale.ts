// `BENCH_PARTS=store npm run bench`: the catalogue stores at scale, on a synthetic catalogue of each
// of BENCH_SIZES works, for each store of BENCH_STORE (`file`, `postgres`, or both: `file,postgres`):
// loading the works into the store, start to ready, memory, lookups with and without the caches, a
// two-word query, a cursor walk over every work, and how soon a write is seen by another replica.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeCatalogueFile } from '../scripts/catalogue-file.js'
import { syntheticWorks } from '../scripts/synthetic-catalogue.js'
import { capture, load, median, medianLoad, rssMb, startProcess, stop, table, type Load, type Running } from './lib.js'
import type { StoreBackend, StoreName } from './store-backend.js'
import { storeBackends } from './store-backends.js'

export interface StoreScaleSettings {
  readonly stores: readonly StoreName[]
  readonly sizes: readonly number[]
  readonly seconds: number
  readonly rounds: number
  readonly connections: number
  /** The entry point that starts citeserve, and its environment. */
  readonly server: string
  readonly env: Record<string, string>
  readonly progress: (text: string) => void
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

const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0)
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T

interface Sample {
  readonly ids: readonly string[]
  readonly middle: string
}

/** Writes the catalogue file of `size` works and keeps their ids, for lookups across the whole catalogue. */
async function catalogueFile(file: string, size: number): Promise<Sample> {
  const ids: string[] = []
  await writeCatalogueFile(
    file,
    (function* () {
      for (const item of syntheticWorks(size)) {
        ids.push(String(item.id))
        yield item
      }
    })(),
  )
  return { ids, middle: ids[Math.floor(size / 2)] as string }
}

/** Follows `next-cursor` from the first page of `/works` to the last; throws unless every work came once. */
async function cursorWalk(base: string, size: number): Promise<number> {
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

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number
}

interface Measured {
  readonly cells: string[]
  /** Microseconds of CPU per cached lookup, for comparing the stores at one size. */
  readonly cachedCpuUs?: number
}

async function measureStore(
  backend: StoreBackend,
  file: string,
  size: number,
  sample: Sample,
  bare: Running,
  settings: StoreScaleSettings,
): Promise<Measured> {
  const { rounds, seconds, connections, server: script, env, progress } = settings
  const say = (text: string) => progress(`${backend.name}, ${size} works: ${text}`)
  say('loading')
  const prepared = await backend.prepare(file)
  const serverEnv = { ...env, ...prepared.env }
  const readyTimes: number[] = []
  let server: Running | undefined
  for (let round = 0; round < rounds; round++) {
    say(`start ${round + 1} of ${rounds}`)
    if (server) await stop(server)
    try {
      server = await startProcess(script, serverEnv, '/health/ready')
    } catch (error) {
      return { cells: [prepared.loadMs === undefined ? '—' : ms(prepared.loadMs / 1000), `does not start: ${(error as Error).message}`] }
    }
    readyTimes.push(server.readyMs)
  }
  const running = server as Running
  const readyRss = rssMb(running)

  const cachedPath = `/works/${sample.middle}`
  const { bytes } = await capture(`${running.base}${cachedPath}`)
  await load(`${running.base}${cachedPath}`, 1, connections)
  await load(`${bare.base}/bytes/${bytes}`, 1, connections)
  const cached: { own: Load; plain: Load }[] = []
  const uncached: Load[] = []
  const queries: Load[] = []
  for (let round = 0; round < rounds; round++) {
    say(`lookups and queries, round ${round + 1} of ${rounds}`)
    cached.push({
      own: await load(`${running.base}${cachedPath}`, seconds, connections, {}, 200, running),
      plain: await load(`${bare.base}/bytes/${bytes}`, seconds, connections, {}, 200, bare),
    })
    uncached.push(await load({ base: running.base, nextPath: () => `/works/${pick(sample.ids)}` }, seconds, connections))
    const twoWords = () => `/works?rows=20&query=${pick(QUERY_WORDS)}+${pick(QUERY_WORDS)}`
    queries.push(await load({ base: running.base, nextPath: twoWords }, seconds, connections))
  }
  say('cursor walk')
  const walkMs = await cursorWalk(running.base, size)
  const afterRss = rssMb(running)

  say('writes seen by a second replica')
  const second = await startProcess(script, serverEnv, '/health/ready')
  let delays: number[]
  try {
    delays = await writeVisibility(backend, second, sample.ids)
  } finally {
    await stop(second)
  }
  await stop(running)

  const own = medianLoad(cached.map((run) => run.own)).cpuUs ?? Number.NaN
  const plain = medianLoad(cached.map((run) => run.plain)).cpuUs ?? Number.NaN
  const lookups = medianLoad(uncached)
  const searches = medianLoad(queries)
  return {
    cachedCpuUs: own,
    cells: [
      prepared.loadMs === undefined ? '—' : ms(prepared.loadMs / 1000),
      ms(median(readyTimes)),
      `${ms(readyRss)} / ${ms(afterRss)}`,
      `${own.toFixed(1)} (bare ${plain.toFixed(1)}, ratio ${(plain / own).toFixed(2)})`,
      `${ms(lookups.p50)} / ${ms(lookups.p99)}`,
      `${ms(searches.p50)} / ${ms(searches.p99)}`,
      ms(walkMs / 1000),
      `${ms(percentile(delays, 0.5))} / ${ms(Math.max(...delays))} (${delays.length})`,
    ],
  }
}

export async function storeAtScale(settings: StoreScaleSettings): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-store-bench-'))
  const bare = await startProcess('bench/bare-server.ts', {}, '/bytes/0')
  const rows: string[][] = []
  try {
    for (const size of settings.sizes) {
      settings.progress(`store: generating ${size} works`)
      const file = join(directory, `works-${size}.json`)
      const sample = await catalogueFile(file, size)
      const cpuByStore = new Map<StoreName, number>()
      for (const name of settings.stores) {
        const backend = storeBackends[name]()
        try {
          const measured = await measureStore(backend, file, size, sample, bare, settings)
          const { cachedCpuUs } = measured
          const cells = [...measured.cells, ...Array<string>(8 - measured.cells.length).fill('—')]
          if (cachedCpuUs !== undefined) cpuByStore.set(name, cachedCpuUs)
          const fileCpu = cpuByStore.get('file')
          const relative = name !== 'file' && fileCpu !== undefined && cachedCpuUs !== undefined ? (cachedCpuUs / fileCpu).toFixed(2) : '—'
          rows.push([name, size.toLocaleString('en'), ...cells.slice(0, 4), relative, ...cells.slice(4)])
        } finally {
          await backend.cleanup()
        }
      }
      await rm(file, { force: true })
    }
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
      'uncached lookup p50 / p99, ms',
      'two-word query p50 / p99, ms',
      'cursor walk, s',
      'write seen by a 2nd replica p50 / max, ms (writes)',
    ],
    rows,
  )
}
