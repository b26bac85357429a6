// The stores `BENCH_PARTS=store` measures: how a catalogue file gets into each, how a server is
// pointed at it, and how a replica writes to it.
import { postgresBackend } from './postgres-backend.js'

export type StoreName = 'file' | 'postgres'

/** A replica's write, for timing when the other replicas see it. */
export interface StoreWriter {
  /** Gives the work a new title, and resolves once the change is durable. */
  retitle(id: string, title: string): Promise<void>
  close(): Promise<void>
}

export interface StoreBackend {
  readonly name: StoreName
  /** Whether replicas share the store, so that one's write reaches the others. */
  readonly replicas: boolean
  /** Puts the catalogue file's works in the store; the environment that points a server at them, and how long loading took. */
  prepare(file: string): Promise<{ readonly env: Record<string, string>; readonly loadMs?: number }>
  writer(): Promise<StoreWriter>
  /** Removes whatever `prepare` made. */
  cleanup(): Promise<void>
}

/** The file store: the catalogue file is the store, each replica holds its own copy in memory. */
function fileBackend(): StoreBackend {
  return {
    name: 'file',
    replicas: false,
    prepare: async (file) => ({ env: { DATA_FILE: file } }),
    writer: () => Promise.reject(new Error('file store replicas do not share writes')),
    cleanup: async () => {},
  }
}

export const storeBackends: Record<StoreName, () => StoreBackend> = {
  file: fileBackend,
  postgres: postgresBackend,
}

/** The stores a comma-separated list names; an unknown name stops the benchmark before anything runs. */
export function storeNames(list: string): StoreName[] {
  return list.split(',').map((name) => {
    if (!Object.hasOwn(storeBackends, name)) throw new Error(`BENCH_STORE: "${name}" is not one of ${Object.keys(storeBackends).join(', ')}`)
    return name as StoreName
  })
}
