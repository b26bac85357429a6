import { MemoryQueryIndex } from '../../../src/catalogue/query/memory-index.js'
import type { StoredWork } from '../../../src/catalogue/store.js'
import { queryContract } from '../query-contract.js'

queryContract('the in-memory query index', async (items) => {
  const works: StoredWork[] = items.map((item, index) => ({
    id: String(item.id),
    key: String(item.id),
    item,
    seq: index + 1,
    version: String(index),
    // Two works changed at the same time, to show ties.
    modified: new Date(Date.UTC(2025, 0, 1 + (index % 3))),
  }))
  const index = await MemoryQueryIndex.build(works)
  return { list: async (request) => index.list(request), close: async () => {} }
})
