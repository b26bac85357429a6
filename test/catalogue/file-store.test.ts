import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileStore } from '../../src/catalogue/file-store.js'
import type { CslItem } from '../../src/catalogue/schema.js'
import { queryContract } from './query-contract.js'
import { storeContract } from './store-contract.js'

storeContract('the file store, on a data file', async (items) => {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-file-store-'))
  const file = join(directory, 'works.json')
  await writeFile(file, JSON.stringify(items))
  const store = await FileStore.open({ file }).catch(async (error: unknown) => {
    await rm(directory, { recursive: true, force: true })
    throw error
  })
  return {
    store,
    close: async () => {
      await store.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
})

const inMemory = async (items: readonly CslItem[]) => {
  const store = await FileStore.fromItems(items)
  return { store, close: () => store.close() }
}
storeContract('the file store, in memory', inMemory)
queryContract('the file store', inMemory)
