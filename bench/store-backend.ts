// What `BENCH_PARTS=scale` needs of each store it measures: how a catalogue file gets into it, how a
// server is pointed at it, and how a replica writes to it.
import type { CatalogueStore } from '../src/catalogue/store.js'

export type StoreName = 'file' | 'postgres'

/** A replica's write, for timing when the other replicas see it. */
export interface StoreWriter {
  /** Gives the work a new title, and resolves once the change is durable. */
  retitle(id: string, title: string): Promise<void>
  close(): Promise<void>
}

/** The synthetic catalogue of one size, written to a file only when a store asks for it. */
export interface CatalogueSource {
  readonly size: number
  /** The catalogue file (one record a line), written on the first call. */
  file(): Promise<string>
}

export interface StoreBackend {
  readonly name: StoreName
  /**
   * Puts the catalogue's works in the store; the environment that points a server at them, and how
   * long loading took (undefined when nothing was loaded: a kept database that held them already).
   */
  prepare(catalogue: CatalogueSource): Promise<{ readonly env: Record<string, string>; readonly loadMs?: number }>
  writer(): Promise<StoreWriter>
  /** Removes whatever `prepare` made. */
  cleanup(): Promise<void>
}

/** Writes through a store of the bench's own, as a replica would; closing the writer closes the store. */
export function storeWriter(store: CatalogueStore): StoreWriter {
  return {
    async retitle(id, title) {
      const work = await store.find(id)
      if (work === undefined) throw new Error(`no work has the id ${id}`)
      await store.write([{ kind: 'put', item: { ...work.item, title } }])
    },
    close: () => store.close(),
  }
}
