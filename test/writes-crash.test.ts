import { createHash, randomInt } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../src/catalogue/schema.js'
import { ServerProcess } from './fixtures/server-process.js'
import { bundledItems } from './fixtures/works.js'
import { streamWrites, type Expected, type WriteModel } from './fixtures/write-stream.js'

const RUNS = 3
const TOKEN = 'crash-test-token-0123456789abcdef'

const directory = mkdtempSync(join(tmpdir(), 'citeserve-crash-'))
afterAll(() => rmSync(directory, { recursive: true, force: true }))

const file = join(directory, 'works.json')
const tokens = join(directory, 'write-tokens')
const env = {
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_FORMAT: 'json',
  DATA_FILE: file,
  WRITE_TOKENS_FILE: tokens,
  WARM_WORKS: '0',
  CSL_STYLE_DIRS: join(directory, 'no-styles'),
  CSL_LOCALE_DIRS: join(directory, 'no-locales'),
}

/** The works on disk, by id, read with JSON.parse alone. */
function onDisk(): Map<string, CslItem> {
  const items = JSON.parse(readFileSync(file, 'utf8')) as CslItem[]
  expect(Array.isArray(items)).toBe(true)
  const byId = new Map(items.map((item) => [String(item.id), item]))
  expect(byId.size, 'ids on disk are unique').toBe(items.length)
  return byId
}

/**
 * Every acknowledged write is on disk as acknowledged, a write cut by the kill is there before or after,
 * and there is nothing else; the cut ones are then settled as found, for the next run.
 */
function checkAgainst(model: WriteModel): void {
  const found = onDisk()
  for (const [id, expected] of model.acknowledged) {
    if (model.uncertain.has(id)) continue
    expect(found.get(id) ?? null, `work ${id}`).toEqual(expected)
  }
  for (const [id, states] of model.uncertain) expect(states, `work ${id}, cut by the kill`).toContainEqual(found.get(id) ?? null)
  const known = new Set([...model.acknowledged.keys(), ...model.uncertain.keys()])
  expect([...found.keys()].filter((id) => !known.has(id)), 'works nobody wrote').toEqual([])
  for (const id of model.uncertain.keys()) model.acknowledged.set(id, found.get(id) ?? null)
  model.uncertain.clear()
}

/** A restarted server serves what the model says: every work present, each deleted one 404. */
async function checkServed(base: string, model: WriteModel): Promise<void> {
  for (const [id, expected] of model.acknowledged) {
    const response = await fetch(`${base}/works/${encodeURIComponent(id)}`)
    expect(response.status, `GET ${id}`).toBe(expected === null ? 404 : 200)
    if (expected !== null) expect(((await response.json()) as { message: CslItem }).message).toEqual(expected)
    else await response.arrayBuffer()
  }
}

describe('writes and SIGKILL, with the file store', () => {
  it(`keep every acknowledged write, a valid data file and nothing else changed, over ${RUNS} kills at random moments`, async () => {
    const original: CslItem[] = [
      ...bundledItems,
      ...Array.from({ length: 30 }, (_, n): CslItem => ({ id: `stable-${n}`, type: 'book', title: `A work no one writes to, ${n}` })),
    ]
    writeFileSync(file, JSON.stringify(original, null, 2))
    writeFileSync(tokens, `crash ${createHash('sha256').update(TOKEN).digest('hex')}\n`)
    const model: WriteModel = {
      acknowledged: new Map<string, Expected>(original.map((item) => [String(item.id), item])),
      uncertain: new Map(),
      requests: { sent: 0, acknowledged: 0 },
    }

    for (let run = 1; run <= RUNS; run++) {
      const server = new ServerProcess(env)
      const base = await server.listening()
      // After a kill, the restarted server serves what was acknowledged.
      await checkServed(base, model)
      const acknowledgedBefore = model.requests.acknowledged
      const stop = new AbortController()
      let failure: unknown
      let done = false
      const streaming = streamWrites({ base, token: TOKEN, run: `run${run}`, clients: 3, signal: stop.signal }, model).then(
        () => (done = true),
        (error: unknown) => ((failure = error), (done = true)),
      )
      // Some writes first, then the kill at a random moment among the next ones.
      while (model.requests.acknowledged < acknowledgedBefore + 5 && !done) await delay(5)
      await delay(randomInt(0, 400))
      server.child.kill('SIGKILL')
      expect(await server.exited).toBeNull()
      await streaming
      stop.abort()
      expect(failure).toBeUndefined()
      expect(model.requests.acknowledged - acknowledgedBefore).toBeGreaterThanOrEqual(5)
      checkAgainst(model)
    }
  }, 120_000)
})
