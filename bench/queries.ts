// `BENCH_PARTS=queries npm run bench`: Crossref-style queries of GET /works on a synthetic catalogue in
// each store of BENCH_STORE, one client at a time (a query's own latency, without queueing behind
// others), each as a request rate, p50 and p99 and the server's CPU per request; with the server's
// memory at ready and after.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeCatalogueFile } from '../scripts/catalogue-file.js'
import { syntheticWorks } from '../scripts/synthetic-catalogue.js'
import type { CslItem } from '../src/catalogue/schema.js'
import type { OaiHarvestSettings } from './oai-harvest.js'
import { load, medianLoad, ms, rssMb, startProcess, stop, table, type Load } from './lib.js'
import type { StoreName } from './store-backend.js'
import { storeBackends } from './store-backends.js'

export interface QueryBenchSettings extends OaiHarvestSettings {
  readonly seconds: number
  readonly stores: readonly StoreName[]
}

/** Writes the catalogue file of `size` works; the reference string of the work a third of the way in. */
async function catalogueFile(file: string, size: number): Promise<string> {
  let cited: CslItem | undefined
  await writeCatalogueFile(
    file,
    (function* () {
      let index = 0
      for (const item of syntheticWorks(size)) {
        if (index++ === Math.floor(size / 3)) cited = item
        yield item
      }
    })(),
  )
  if (cited === undefined) throw new Error('queries: an empty catalogue has no work to cite')
  return `${cited.author?.[0]?.family} ${cited.issued?.['date-parts']?.[0]?.[0]} ${cited.title} ${cited['container-title']} ${cited.volume} ${String(cited.page).split('-')[0]}`
}

const FACETS = 'facet=type-name:*,published:*,container-title:10,language:*'

/** The queries measured, by name; the first is the one with a target (filtered, faceted and sorted). */
function queriesOf(reference: string): [string, string][] {
  return [
    ['filtered, faceted, sorted', `/works?filter=type:article-journal,from-pub-date:2000&${FACETS}&sort=published&order=desc&rows=20`],
    ['words, filtered, faceted, by relevance', `/works?query=melanoma+cytokines&filter=until-pub-date:2015&${FACETS}&rows=20`],
    ['reference string (`query.bibliographic`)', `/works?query.bibliographic=${encodeURIComponent(reference)}&rows=5`],
    ['sorted by title, deep cursor page', ''],
    ['`select=DOI,title`, sorted by update', '/works?select=DOI,title&sort=updated&rows=100'],
  ]
}

/** The cursor of a page deep into a title-sorted walk: a keyset query far from the start. */
async function deepCursor(base: string): Promise<string> {
  let cursor = '*'
  for (let page = 0; page < 5; page++) {
    const response = await fetch(`${base}/works?sort=title&rows=1000&select=DOI&cursor=${cursor}`)
    const body = (await response.json()) as { message: { 'next-cursor'?: string } }
    cursor = body.message['next-cursor'] ?? cursor
  }
  return `/works?sort=title&rows=20&cursor=${cursor}`
}

export async function queryBenchmark({ sizes, stores, seconds, rounds, server, env, progress }: QueryBenchSettings): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-queries-'))
  const rows: string[][] = []
  const memory: string[][] = []
  try {
    for (const size of sizes) {
      progress(`queries: generating ${size} records`)
      const file = join(directory, `works-${size}.json`)
      const reference = await catalogueFile(file, size)
      for (const storeName of stores) {
        const backend = storeBackends[storeName]()
        try {
          progress(`queries: ${storeName}, ${size} records: loading`)
          const prepared = await backend.prepare({ size, file: () => Promise.resolve(file) })
          const running = await startProcess(server, { ...env, ...prepared.env }, '/health/ready')
          try {
            const readyRss = rssMb(running)
            for (const [name, given] of queriesOf(reference)) {
              const path = given === '' ? await deepCursor(running.base) : given
              const runs: Load[] = []
              try {
                // A second first, so that the measured rounds run JIT-compiled code.
                await load(`${running.base}${path}`, 1, 1)
                for (let round = 0; round < rounds; round++) {
                  progress(`queries: ${storeName}, ${size} records, ${name}, round ${round + 1} of ${rounds}`)
                  runs.push(await load(`${running.base}${path}`, seconds, 1, {}, 200, running))
                }
              } catch (error) {
                // A query a store cannot answer in time is a finding of the table, not the end of the run.
                rows.push([
                  storeName,
                  size.toLocaleString('en'),
                  name,
                  '—',
                  '—',
                  '—',
                  `fails: ${(error instanceof Error ? error.message : String(error)).split(': ').at(-1)}`,
                ])
                continue
              }
              const { rps, p50, p99, cpuUs } = medianLoad(runs)
              rows.push([
                storeName,
                size.toLocaleString('en'),
                name,
                Math.round(rps).toString(),
                ms(p50),
                ms(p99),
                ((cpuUs ?? 0) / 1000).toFixed(1),
              ])
            }
            memory.push([storeName, size.toLocaleString('en'), readyRss.toFixed(0), rssMb(running).toFixed(0)])
          } finally {
            await stop(running)
          }
        } finally {
          await backend.cleanup()
        }
      }
      await rm(file, { force: true })
    }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
  return [
    table(['store', 'works', 'query', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req'], rows),
    '',
    table(['store', 'works', 'RSS at ready, MB', 'RSS after the queries, MB'], memory),
  ].join('\n')
}
