import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { worksOf, type Work } from '../../src/catalogue/catalogue.js'
import { batchesOf, exportFile, ExportSlots, PIECE_WORKS, PieceTurns, type WorkBatches } from '../../src/citations/export-file.js'
import { FORMATS, getFormat } from '../../src/formats/registry.js'
import { syntheticCatalogue } from '../../scripts/synthetic-catalogue.js'
import { contextFor, renderPlain } from '../fixtures/csl.js'

// Enough works for several pieces and a last piece of another size, from batches of odd sizes.
const works = worksOf(syntheticCatalogue(3 * PIECE_WORKS + 7))
const context = contextFor()
const turns = new PieceTurns()

async function text(file: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of file) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Batches of 1, 2, 3… works, counting how many works have been taken from them. */
function countedBatches(all: readonly Work[]): { batches: WorkBatches; taken: () => number } {
  let taken = 0
  return {
    taken: () => taken,
    batches: async function* () {
      for (let start = 0, size = 1; start < all.length; start += size, size++) {
        const batch = all.slice(start, start + size)
        taken += batch.length
        yield batch
      }
    },
  }
}

/** How many turns of the event loop another task got while `work` ran. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let taken = 0
  let running = true
  const ticking = (async () => {
    while (running) {
      await nextTurn()
      taken++
    }
  })()
  await work()
  running = false
  await ticking
  return taken
}

describe('exportFile', () => {
  for (const format of FORMATS.filter((candidate) => candidate.joints !== undefined)) {
    it(`writes ${format.name} in pieces that join into the file rendered whole`, async () => {
      const whole = renderPlain(format.name, works)
      expect(await text(await exportFile(format, countedBatches(works).batches, context, turns))).toBe(whole)
      // A file of one piece, and of one work, is the rendering itself.
      for (const few of [works.slice(0, 1), works.slice(0, 3)])
        expect(await text(await exportFile(format, batchesOf(few), context, turns))).toBe(renderPlain(format.name, few))
    })
  }

  it('renders no further ahead of a reader that stops than a few pieces', async () => {
    const many = worksOf(syntheticCatalogue(2000))
    const { batches, taken } = countedBatches(many)
    const file = await exportFile(getFormat('schema-org'), batches, context, turns)
    const first = await new Promise<Buffer>((resolve) => file.once('data', resolve))
    expect(first.length).toBeGreaterThan(0)
    file.pause()
    for (let turn = 0; turn < 50; turn++) await nextTurn()
    expect(taken()).toBeLessThan(8 * PIECE_WORKS)
    file.destroy()
  })

  it('renders one piece a turn of the event loop, however many exports run', async () => {
    const many = worksOf(syntheticCatalogue(6 * PIECE_WORKS))
    const turnsTaken = await turnsDuring(() =>
      Promise.all(Array.from({ length: 4 }, async () => text(await exportFile(getFormat('ris'), batchesOf(many), context, turns)))),
    )
    // Four exports of five pieces after their first each: twenty turns at least.
    expect(turnsTaken).toBeGreaterThanOrEqual(4 * (many.length / PIECE_WORKS - 2))
  })

  it('leaves the event loop to other work between its pieces', async () => {
    const many = worksOf(syntheticCatalogue(10 * PIECE_WORKS))
    const turnsTaken = await turnsDuring(async () => text(await exportFile(getFormat('bibtex'), batchesOf(many, 1000), context, turns)))
    expect(turnsTaken).toBeGreaterThanOrEqual(many.length / PIECE_WORKS - 2)
  })

  it('refuses, before anything is written, works the format cannot write', async () => {
    const undated = worksOf([{ id: 'undated', type: 'book', title: 'No year' }, ...syntheticCatalogue(3)])
    await expect(exportFile(getFormat('datacite-xml'), batchesOf(undated), context, turns)).rejects.toMatchObject({
      kind: 'incomplete-record',
    })
  })
})

describe('ExportSlots', () => {
  it('refuses an export beyond its limit with a 503 problem, until one being sent closes', async () => {
    const slots = new ExportSlots(2)
    const open = () => Promise.resolve(new Readable({ read() {} }))
    const first = await slots.hold(open)
    await slots.hold(open)
    await expect(slots.hold(open)).rejects.toMatchObject({ kind: 'service-busy', headers: { 'retry-after': '5' } })
    first.destroy()
    await nextTurn()
    expect(await slots.hold(open)).toBeInstanceOf(Readable)
    // An export that fails before it is sent gives its slot back.
    await expect(new ExportSlots(1).hold(() => Promise.reject(new Error('no file')))).rejects.toThrow('no file')
    const single = new ExportSlots(1)
    await expect(single.hold(() => Promise.reject(new Error('no file')))).rejects.toThrow('no file')
    expect(await single.hold(open)).toBeInstanceOf(Readable)
  })
})
