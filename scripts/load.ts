// Load test (`npm run load`): the real server on 127.0.0.1, driven by autocannon for LOAD_SECONDS
// (default 60) with a mix of valid and invalid requests on the main routes, over a synthetic
// catalogue of LOAD_WORKS (default 2000) records. It checks that every request got the status it
// should (no errors on valid requests, no 5xx at all) and that the heap, after garbage collection,
// returns to its level before the load; it prints the figures and exits 1 when a check fails.
import autocannon from 'autocannon'
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MemoryFigures } from './load-server.js'

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60)
const WORKS = Number(process.env.LOAD_WORKS ?? 2000)
const CONNECTIONS = 10
/** How much the heap may grow over the run (after GC) and still count as back to its level. */
const HEAP_SLACK_BYTES = 4 * 1024 * 1024

function syntheticWork(index: number) {
  return {
    id: `load-${index}`,
    type: 'article-journal',
    title: `Interleukin-${index % 40} signalling in tumour model ${index}`,
    author: [
      { family: `Family${index % 97}`, given: 'Ada' },
      { family: 'Berg', given: 'Jan', 'non-dropping-particle': 'van der' },
    ],
    'container-title': `Journal of Load ${index % 13}`,
    volume: String(1 + (index % 50)),
    issue: String(1 + (index % 12)),
    page: `${index}-${index + 9}`,
    DOI: `10.5555/load.${index}`,
    issued: { 'date-parts': [[1990 + (index % 35), 1 + (index % 12), 1 + (index % 28)]] },
    abstract: `Record ${index} of a synthetic catalogue. `.repeat(20),
  }
}

type Figures = MemoryFigures | { port: number }

function nextMessage(child: ChildProcess): Promise<Figures> {
  return new Promise((resolve) => child.once('message', (message) => resolve(message as Figures)))
}

async function memoryAfterGc(child: ChildProcess): Promise<MemoryFigures> {
  child.send('collect')
  return (await nextMessage(child)) as MemoryFigures
}

/** Expected statuses and tallies per kind of request. */
interface Kind {
  readonly name: string
  readonly valid: boolean
  readonly expected: number
  readonly request: autocannon.Request
  count: number
  readonly unexpected: Map<number, number>
}

function kinds(etag: string): Kind[] {
  const randomWork = () => Math.floor(Math.random() * WORKS)
  const work = (build: (index: number) => string) => (request: autocannon.Request) => ({ ...request, path: build(randomWork()) })
  const plan: [string, boolean, number, autocannon.Request][] = [
    ['list', true, 200, { path: '/works?rows=20' }],
    ['list deep, br', true, 200, { path: '/works?rows=100&offset=900', headers: { 'accept-encoding': 'br, gzip' } }],
    ['search', true, 200, { path: '/works?query=interleukin+tumour+model&rows=50' }],
    ['cursor', true, 200, { path: '/works?rows=200&cursor=*', headers: { 'accept-encoding': 'gzip' } }],
    ['work json', true, 200, { setupRequest: work((index) => `/works/load-${index}`) }],
    [
      'work bibtex by DOI',
      true,
      200,
      { headers: { accept: 'application/x-bibtex' }, setupRequest: work((index) => `/works/10.5555/load.${index}`) },
    ],
    [
      'work vancouver',
      true,
      200,
      { headers: { accept: 'text/x-bibliography; style=vancouver' }, setupRequest: work((index) => `/works/load-${index}`) },
    ],
    ['citation ris', true, 200, { setupRequest: work((index) => `/works/load-${index}/citation?format=ris`) }],
    ['citation apa html', true, 200, { setupRequest: work((index) => `/works/load-${index}/citation?format=bibliography&output=html`) }],
    ['revalidate', true, 304, { path: '/works/load-0', headers: { 'if-none-match': etag } }],
    ['health', true, 200, { path: '/health/ready' }],
    ['bad rows', false, 400, { path: '/works?rows=5000&sort=title' }],
    ['bad cursor', false, 400, { path: '/works?cursor=bm90LWEtY3Vyc29y' }],
    ['unknown id', false, 404, { path: '/works/no-such-work' }],
    ['wrong method', false, 405, { method: 'POST', path: '/works' }],
    ['not acceptable', false, 406, { path: '/works/load-1', headers: { accept: 'image/png' } }],
    ['bad format', false, 400, { path: '/works/load-1/citation?format=docx&style=nope' }],
    ['url too long', false, 414, { path: `/works?query=${'a'.repeat(5000)}` }],
  ]
  return plan.map(([name, valid, expected, request]) => {
    const kind: Kind = { name, valid, expected, request: { method: 'GET', ...request }, count: 0, unexpected: new Map() }
    kind.request.onResponse = (status: number) => {
      kind.count++
      if (status !== expected) kind.unexpected.set(status, (kind.unexpected.get(status) ?? 0) + 1)
    }
    return kind
  })
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

async function main(): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'citeserve-load-'))
  const dataFile = join(directory, 'works.json')
  await writeFile(dataFile, JSON.stringify(Array.from({ length: WORKS }, (_, index) => syntheticWork(index))))

  const server = fork(new URL('./load-server.ts', import.meta.url), {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_FILE: dataFile },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  try {
    const { port } = (await nextMessage(server)) as { port: number }
    const base = `http://127.0.0.1:${port}`
    // fetch() asks for compressed bodies by default; the load test's revalidations send none.
    const etag = (await fetch(`${base}/works/load-0`, { headers: { 'accept-encoding': 'identity' } })).headers.get('etag') ?? ''

    // Warm up (JIT, citation-js, every style and locale used) before taking the starting level.
    await autocannon({ url: base, connections: CONNECTIONS, duration: 5, requests: kinds(etag).map((kind) => kind.request) })
    const before = await memoryAfterGc(server)

    // Two halves, the heap measured after each: growth that goes on in the second half is a leak,
    // growth in the first half only is the service settling.
    const tallies = kinds(etag)
    const halves: { result: autocannon.Result; memory: MemoryFigures }[] = []
    for (let half = 0; half < 2; half++) {
      const result = await autocannon({
        url: base,
        connections: CONNECTIONS,
        duration: SECONDS / 2,
        requests: tallies.map((kind) => kind.request),
      })
      await new Promise((resolve) => setTimeout(resolve, 2000))
      halves.push({ result, memory: await memoryAfterGc(server) })
    }
    const [first, second] = halves as [(typeof halves)[0], (typeof halves)[0]]
    const peakRss = Math.max(first.memory.peakRss, second.memory.peakRss)
    const after = second.memory
    const sum = (field: 'errors' | 'timeouts' | '2xx' | '3xx' | '4xx' | '5xx') => first.result[field] + second.result[field]
    const total = first.result.requests.total + second.result.requests.total
    // Latency percentiles of the second half, when the service has settled.
    const { latency } = second.result

    const byClass = (valid: boolean) => tallies.filter((kind) => kind.valid === valid).reduce((sum, kind) => sum + kind.count, 0)
    const unexpected = tallies.filter((kind) => kind.unexpected.size > 0)
    process.stdout.write(
      [
        `citeserve load test: ${SECONDS} s, ${CONNECTIONS} connections, ${WORKS} works, node ${process.version}`,
        `requests: ${total} (${Math.round(total / SECONDS)}/s), valid ${byClass(true)}, invalid ${byClass(false)}`,
        `responses: 2xx ${sum('2xx')}, 3xx ${sum('3xx')}, 4xx ${sum('4xx')}, 5xx ${sum('5xx')}; socket errors ${sum('errors')}, timeouts ${sum('timeouts')}`,
        `latency (second half): p50 ${latency.p50} ms, p90 ${latency.p90} ms, p99 ${latency.p99} ms, max ${latency.max} ms`,
        `per kind: ${tallies.map((kind) => `${kind.name} ${kind.count}`).join(', ')}`,
        `unexpected statuses: ${unexpected.length === 0 ? 'none' : unexpected.map((kind) => `${kind.name}: ${JSON.stringify([...kind.unexpected])}`).join('; ')}`,
        `heap after GC: before ${mib(before.heapUsed)}, after the first half ${mib(first.memory.heapUsed)}, after the second ${mib(after.heapUsed)}`,
        `RSS: before ${mib(before.rss)}, peak ${mib(peakRss)}, after the first half ${mib(first.memory.rss)}, after the second ${mib(after.rss)}`,
        '',
      ].join('\n'),
    )
    const failures = [
      unexpected.length > 0 && 'some requests got an unexpected status',
      sum('5xx') > 0 && 'some requests got a 5xx',
      sum('errors') + sum('timeouts') > 0 && 'some requests failed or timed out',
      after.heapUsed > before.heapUsed + HEAP_SLACK_BYTES && `the heap grew by ${mib(after.heapUsed - before.heapUsed)}`,
    ].filter((failure): failure is string => typeof failure === 'string')
    for (const failure of failures) process.stdout.write(`FAIL: ${failure}\n`)
    return failures.length === 0 ? 0 : 1
  } finally {
    server.disconnect()
  }
}

process.exit(await main())
