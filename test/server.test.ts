import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

function start(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Resolves with the address the server logs once it listens. */
function listeningAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) resolve(match[1] as string)
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${output}`)))
  })
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('exit', (code) => resolve({ code, stderr }))
  })
}

describe('the server on a real port', () => {
  let server: ChildProcess
  let base: string

  beforeAll(async () => {
    server = start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' })
    base = await listeningAddress(server)
  })
  afterAll(() => {
    server.kill('SIGTERM')
  })

  it('serves the bundled catalogue over HTTP', async () => {
    const response = await fetch(`${base}/works/interleukin-2-in-cancer-2005`, {
      headers: { accept: 'application/x-research-info-systems' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/x-research-info-systems; charset=utf-8')
    expect(await response.text()).toContain('TI  - Interleukin-2 in cancer\r\n')
  })

  it('exits 0 on SIGTERM', async () => {
    const other = start({ PORT: '0', HOST: '127.0.0.1' })
    const exited = exitOf(other)
    await listeningAddress(other)
    other.kill('SIGTERM')
    expect((await exited).code).toBe(0)
  })
})

describe('refusing to start', () => {
  let directory: string
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'citeserve-server-'))
  })

  it('names the file, the record and the field of a broken data file, and exits 1', async () => {
    const file = join(directory, 'works.json')
    await writeFile(
      file,
      JSON.stringify([
        { id: 'fine', type: 'book' },
        { id: 'broken', type: 'book', issued: '2005' },
      ]),
    )
    const { code, stderr } = await exitOf(start({ PORT: '0', DATA_FILE: file }))
    expect(code).toBe(1)
    expect(stderr).toBe(
      `citeserve: cannot start: data file ${file}: 1 problem with records\n  record 1 (id "broken"): field "issued": Invalid input: expected object, received string\n`,
    )
  })

  it('names a missing data file', async () => {
    const file = join(directory, 'missing.json')
    const { code, stderr } = await exitOf(start({ PORT: '0', DATA_FILE: file }))
    expect(code).toBe(1)
    expect(stderr).toBe(`citeserve: cannot start: data file ${file}: no such file\n`)
  })

  it('names a wrong configuration variable and its value', async () => {
    const { code, stderr } = await exitOf(start({ PORT: 'eighty' }))
    expect(code).toBe(1)
    expect(stderr).toContain(
      'citeserve: cannot start: invalid configuration:\n  PORT="eighty": Invalid input: expected number, received NaN',
    )
  })
})
