import { describe, expect, it } from 'vitest'
import { FileStore } from '../../src/catalogue/file-store.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { REFERENCES, REFERENCE_WORKS, referenceStringMisses } from '../catalogue/reference-strings.js'

describe('reference strings on a file catalogue of 100,000 works', () => {
  it('find the work they cite first, at least 95 times in 100', async () => {
    const items = syntheticCatalogue(REFERENCE_WORKS)
    const store = await FileStore.fromItems(items)
    const misses = await referenceStringMisses(store, items)
    await store.close()
    expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(REFERENCES * 0.05)
  })
})
