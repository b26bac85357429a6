import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp } from './fixtures/app.js'
import { FileStore } from '../src/catalogue/file-store.js'
import { loadConfig } from '../src/config.js'
import { openCslServices, type CslServices } from '../src/formats/csl/services.js'
import { bundledItems } from './fixtures/works.js'

// Every curl command of the README's sh blocks, run with curl against a server on the bundled catalogue
// as it ships (citation-js's built-in styles only, as on a fresh clone): each must answer 2xx, or the
// status its shown output says, with that output. The README's JSON record is added first for the
// commands after it, as the README tells its reader to.

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const README_BASE = 'http://localhost:3000'

interface Example {
  readonly command: string
  /** The output the README shows, if it shows one; `…` stands for any text. */
  readonly output?: string
  /** Whether it comes after the README's record to add, and so needs it. */
  readonly needsAddedRecord: boolean
}

/** The examples of the sh blocks, and the first JSON block (the record a reader adds). */
function readmeExamples(): { examples: Example[]; addedRecord: unknown } {
  const examples: Example[] = []
  let addedRecord: unknown
  for (const [, language, body] of README.matchAll(/^```(\w*)\n([^]*?)^```$/gm)) {
    if (language === 'json' && addedRecord === undefined) addedRecord = JSON.parse(body as string)
    if (language !== 'sh') continue
    let current: { command: string; output: string[] } | undefined
    const flush = () => {
      if (current)
        examples.push({
          command: current.command,
          ...(current.output.length > 0 ? { output: current.output.join('\n') } : {}),
          needsAddedRecord: addedRecord !== undefined,
        })
      current = undefined
    }
    for (const line of (body as string).split('\n')) {
      if (line.startsWith('$ ')) {
        flush()
        if (line.startsWith('$ curl ')) current = { command: line.slice(2), output: [] }
      } else if (line.startsWith('curl ')) {
        flush()
        examples.push({ command: line, needsAddedRecord: addedRecord !== undefined })
      } else if (current) current.output.push(line)
    }
    flush()
  }
  return { examples, addedRecord }
}

/** A command line's words, with the shell's single and double quotes. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map(
    ([, single, double, bare]) => single ?? double ?? (bare as string),
  )
}

function expectedPattern(output: string): RegExp {
  const escaped = output
    .trimEnd()
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${escaped.join('[^]*?')}$`)
}

const run = promisify(execFile)

async function curl(command: string, base: string): Promise<{ status: number; body: string }> {
  const [name, ...args] = words(command).map((word) => word.replace(README_BASE, base))
  expect(name).toBe('curl')
  const { stdout } = await run('curl', ['-sS', '--write-out', '\n%{http_code}', ...args])
  const end = stdout.lastIndexOf('\n')
  return { status: Number(stdout.slice(end + 1)), body: stdout.slice(0, end) }
}

async function listening(items: unknown[], csl: CslServices): Promise<{ app: FastifyInstance; base: string }> {
  const file = join(await mkdtemp(join(tmpdir(), 'citeserve-readme-')), 'works.json')
  await writeFile(file, JSON.stringify(items))
  // A first style compile may take long on a busy machine; what is tested here is the answer, not its speed.
  const app = await testApp({ store: await FileStore.open({ file }), csl, config: loadConfig({ REQUEST_TIMEOUT: '300' }) })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, base }
}

const { examples, addedRecord } = readmeExamples()

describe('the README examples', () => {
  let csl: CslServices
  let bundled: { app: FastifyInstance; base: string }
  let extended: { app: FastifyInstance; base: string }
  beforeAll(async () => {
    csl = await openCslServices({ styleDirectories: [], localeDirectories: [], engines: 8, workers: 1 })
    bundled = await listening(bundledItems, csl)
    extended = await listening([...bundledItems, addedRecord], csl)
  }, 60_000)
  afterAll(async () => {
    await bundled.app.close()
    await extended.app.close()
    await csl.renderer.close()
  })

  it('are there to test', () => {
    expect(examples.length).toBeGreaterThan(20)
    expect(examples.filter((example) => example.output !== undefined).length).toBeGreaterThan(5)
    expect(examples.some((example) => example.needsAddedRecord)).toBe(true)
  })

  it.each(examples.map((example) => [example.command, example] as const))(
    '%s',
    async (_command, example) => {
      const { status, body } = await curl(example.command, (example.needsAddedRecord ? extended : bundled).base)
      const problem = body.startsWith('{"type":"/problems/')
      if (!problem) expect(status, body).toBeGreaterThanOrEqual(200)
      if (!problem) expect(status, body).toBeLessThan(300)
      if (example.output !== undefined) expect(body.trimEnd()).toMatch(expectedPattern(example.output))
      else expect(problem, body).toBe(false)
    },
    60_000,
  )
})
