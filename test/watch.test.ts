import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CslItem } from '../src/catalogue/schema.js'
import { publish } from './fixtures/data-file.js'
import { ServerProcess } from './fixtures/server-process.js'
import { richItem, seed } from './fixtures/works.js'

const QUIET_MS = 300

describe('reloading the catalogue when the data file changes (DATA_WATCH_MS)', () => {
  let directory: string
  let file: string
  let server: ServerProcess
  let base: string

  const title = async () => ((await (await fetch(`${base}/works/${seed.id}`)).json()) as { message: CslItem }).message.title
  const logged = (message: string) => server.logLines().filter((line) => line.msg === message)

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'citeserve-watch-'))
    file = join(directory, 'works.json')
    await publish(file, JSON.stringify([{ ...seed, title: 'Title 0' }]))
    server = new ServerProcess({ DATA_FILE: file, DATA_WATCH_MS: String(QUIET_MS), PORT: '0', HOST: '127.0.0.1', WARM_WORKS: '0' })
    base = await server.listening()
  })
  afterAll(() => {
    server.child.kill('SIGTERM')
  })

  it('reloads a file replaced by a rename, once for a burst of changes, with the last of them', async () => {
    expect(await title()).toBe('Title 0')
    for (let version = 1; version <= 4; version++) await publish(file, JSON.stringify([{ ...seed, title: `Title ${version}` }, richItem]))
    const [line] = await server.waitForOutput(/\{[^\n]*"msg":"catalogue reloaded"[^\n]*\}/)
    expect(JSON.parse(line)).toMatchObject({ works: 2, generation: 2 })
    expect(await title()).toBe('Title 4')
    expect(logged('reloading the catalogue')).toEqual([expect.objectContaining({ cause: 'file changed', file })])
  })

  it('reloads a file written in place, refuses an invalid one and serves on, and ignores other files', async () => {
    await writeFile(file, JSON.stringify([{ ...seed, title: 'Written in place' }]))
    await server.waitForOutput(/"generation":3/)
    expect(await title()).toBe('Written in place')

    await publish(file, JSON.stringify([{ ...seed, journal: 'not a CSL variable' }]))
    const [line] = await server.waitForOutput(/\{[^\n]*"msg":"catalogue reload refused[^\n]*\}/)
    expect((JSON.parse(line) as { reason: string }).reason).toContain('field "journal": is not a CSL-JSON variable')
    expect(await title()).toBe('Written in place')

    const attempts = logged('reloading the catalogue').length
    await writeFile(join(directory, 'notes.txt'), 'not the data file')
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS * 3))
    expect(logged('reloading the catalogue')).toHaveLength(attempts)
  })
})
