// `BENCH_PARTS=store npm run bench`: what the file store's data file costs at each catalogue size, in
// CPU time of this process: opening it (read, parse, validate, index), writing one record (the whole
// file rewritten durably and the index rebuilt) and reloading it unchanged (every record compared).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileStore } from '../src/catalogue/file-store.js'
import { syntheticCatalogue } from '../scripts/synthetic-catalogue.js'
import { median, table } from './lib.js'

export interface FileStoreSettings {
  readonly sizes: readonly number[]
  readonly rounds: number
  readonly progress: (text: string) => void
}

/** The CPU milliseconds `work` takes in this process. */
async function cpuMs(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage()
  await work()
  const { user, system } = process.cpuUsage(before)
  return (user + system) / 1000
}

export async function fileStoreCosts({ sizes, rounds, progress }: FileStoreSettings): Promise<string> {
  const rows: string[][] = []
  for (const size of sizes) {
    const directory = await mkdtemp(join(tmpdir(), 'citeserve-bench-store-'))
    const file = join(directory, 'works.json')
    await writeFile(file, JSON.stringify(syntheticCatalogue(size)))
    const open: number[] = []
    const write: number[] = []
    const reload: number[] = []
    for (let round = 0; round < rounds; round++) {
      progress(`file store, ${size} works, round ${round + 1}`)
      let store: FileStore | undefined
      open.push(await cpuMs(async () => (store = await FileStore.open({ file }))))
      const opened = store as FileStore
      write.push(await cpuMs(() => opened.write([{ kind: 'put', item: { id: `bench-${round}`, type: 'book', title: 'Written' } }])))
      reload.push(await cpuMs(() => opened.reload('bench')))
      await opened.close()
    }
    await rm(directory, { recursive: true, force: true })
    rows.push([size.toLocaleString('en'), ...[open, write, reload].map((figures) => median(figures).toFixed(0))])
  }
  return table(['works', 'open, CPU ms', 'write of one record, CPU ms', 'reload unchanged, CPU ms'], rows)
}
