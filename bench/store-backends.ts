// The stores `BENCH_PARTS=scale` measures, by name.
import { FileStore } from '../src/catalogue/file-store.js'
import { postgresBackend } from './postgres-backend.js'
import { storeWriter, type StoreBackend, type StoreName } from './store-backend.js'

/** How long the file store's replicas wait for the file to settle before they reload it. */
const FILE_SETTLE_MS = 100

/**
 * The file store: the catalogue file is the store, each replica holds its own copy in memory. A write
 * replaces the file, and the other replicas see it when they reload it (`DATA_WATCH_MS`).
 */
function fileBackend(): StoreBackend {
  let dataFile = ''
  return {
    name: 'file',
    prepare: async (catalogue) => {
      dataFile = await catalogue.file()
      return { env: { DATA_FILE: dataFile, DATA_WATCH_MS: String(FILE_SETTLE_MS) } }
    },
    writer: async () => storeWriter(await FileStore.open({ file: dataFile })),
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
    if (!Object.hasOwn(storeBackends, name))
      throw new Error(`BENCH_STORE: "${name}" is not one of ${Object.keys(storeBackends).join(', ')}`)
    return name as StoreName
  })
}
