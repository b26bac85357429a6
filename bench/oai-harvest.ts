// `BENCH_PARTS=oai npm run bench`: a whole OAI-PMH harvest (ListRecords in oai_dc, following the
// resumption tokens to the end) of a synthetic catalogue, as a harvester makes it: one request at a
// time. Reports the time of the whole harvest and the server's peak resident memory, sampled from /proc.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { syntheticCatalogue } from '../scripts/synthetic-catalogue.js'
import { median, rssMb, startProcess, stop, table } from './lib.js'

export interface OaiHarvestSettings {
  readonly sizes: readonly number[]
  readonly rounds: number
  /** The entry point that starts citeserve, and its environment. */
  readonly server: string
  readonly env: Record<string, string>
  readonly progress: (text: string) => void
}

interface Harvest {
  readonly ms: number
  readonly records: number
  readonly pages: number
}

/** ListRecords from the first page to the one without a token; counts the records it got. */
async function harvest(base: string): Promise<Harvest> {
  const started = performance.now()
  let query = 'verb=ListRecords&metadataPrefix=oai_dc'
  let records = 0
  let pages = 0
  for (;;) {
    const response = await fetch(`${base}/oai?${query}`)
    const body = await response.text()
    if (response.status !== 200 || body.includes('<error ')) throw new Error(`page ${pages + 1}: ${response.status} ${body.slice(0, 300)}`)
    pages++
    records += body.split('<record>').length - 1
    const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(body)?.[1]
    if (token === undefined) return { ms: performance.now() - started, records, pages }
    query = `verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`
  }
}

/** One fresh server per size; each round harvests the whole catalogue while /proc is sampled for RSS. */
export async function oaiHarvests({ sizes, rounds, server, env, progress }: OaiHarvestSettings): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-oai-'))
  const rows: string[][] = []
  try {
    for (const size of sizes) {
      progress(`oai: generating ${size} records`)
      const file = join(directory, `works-${size}.json`)
      await writeFile(file, JSON.stringify(syntheticCatalogue(size)))
      const running = await startProcess(server, { ...env, DATA_FILE: file }, '/health/ready')
      try {
        const readyRss = rssMb(running)
        let peak = readyRss
        const sampler = setInterval(() => (peak = Math.max(peak, rssMb(running))), 50)
        const runs: Harvest[] = []
        try {
          for (let round = 0; round < rounds; round++) {
            progress(`oai: ${size} records, harvest ${round + 1} of ${rounds}`)
            runs.push(await harvest(running.base))
          }
        } finally {
          clearInterval(sampler)
        }
        const { records, pages } = runs[0] as Harvest
        if (records !== size) throw new Error(`harvested ${records} of ${size} records`)
        const times = runs.map((run) => run.ms / 1000)
        rows.push([
          size.toLocaleString('en'),
          String(pages),
          (times[0] as number).toFixed(1),
          median(times).toFixed(1),
          readyRss.toFixed(0),
          peak.toFixed(0),
        ])
      } finally {
        await stop(running)
      }
    }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
  return table(['works', 'pages', 'first harvest, s', 'median harvest, s', 'RSS ready, MB', 'peak RSS, MB'], rows)
}
