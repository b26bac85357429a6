// Shows that the server's memory stays bounded whatever styles clients ask for (`npm run bench:memory`).
// Starts the real server, asks for the seed's citation in STYLES different styles, then REQUESTS
// times in one style, sampling the server's resident set size (VmRSS from /proc), and prints the
// figures against CAP_MB. Needs Debian's citation-style-language-styles for the many styles.
// Loopback only, bounded in count.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const STYLES = Number(process.env.STYLES ?? 300)
const REQUESTS = Number(process.env.REQUESTS ?? 100_000)
const CAP_MB = Number(process.env.CAP_MB ?? 400)
// V8 grows its heap lazily up to a limit set from the machine's memory (gigabytes here), so without
// a limit the resident size shows how lazy the collector is, not what is kept. Production runs set
// one; with it, a pool that kept every engine would run out of heap, and a bounded one does not.
const HEAP_MB = Number(process.env.HEAP_MB ?? 192)
const CONCURRENCY = 16
const CITATION = '/works/interleukin-2-in-cancer-2005/citation'

const server = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'src/server.ts'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024

const base = await new Promise<string>((resolve, reject) => {
  let output = ''
  server.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
    if (match) resolve(match[1] as string)
  })
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
})
server.stdout.resume()

interface Phase {
  name: string
  requests: number
  failed: number
  startMb: number
  maxMb: number
  endMb: number
  seconds: number
}

async function phase(name: string, paths: readonly string[]): Promise<Phase> {
  const startMb = rssMb()
  let maxMb = startMb
  let failed = 0
  let next = 0
  const started = performance.now()
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++] as string
      const response = await fetch(`${base}${path}`)
      await response.arrayBuffer()
      if (response.status !== 200) failed++
      if (next % 500 === 0) maxMb = Math.max(maxMb, rssMb())
      if (next % 10_000 === 0) process.stderr.write(`${name}: ${next} requests, RSS ${rssMb().toFixed(0)} MB\n`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const endMb = rssMb()
  return {
    name,
    requests: paths.length,
    failed,
    startMb,
    maxMb: Math.max(maxMb, endMb),
    endMb,
    seconds: (performance.now() - started) / 1000,
  }
}

const listing = (await (await fetch(`${base}/styles?rows=1000`)).json()) as {
  message: { 'total-results': number; items: { id: string; parent: string | null }[] }
}
const independent = listing.message.items.filter((style) => style.parent === null).map((style) => style.id)
if (independent.length < STYLES)
  throw new Error(`only ${independent.length} independent styles installed; install citation-style-language-styles`)
const phases = [
  await phase(
    `${STYLES} different styles`,
    independent.slice(0, STYLES).map((id) => `${CITATION}?style=${id}`),
  ),
  await phase(
    `${REQUESTS} requests, one style`,
    Array.from({ length: REQUESTS }, () => `${CITATION}?style=apa`),
  ),
]
server.kill('SIGTERM')

console.log(
  `styles installed: ${listing.message['total-results']}; CSL_ENGINES=${process.env.CSL_ENGINES ?? 16}; --max-old-space-size=${HEAP_MB}; cap ${CAP_MB} MB`,
)
console.log('| phase | requests | failed | RSS start MB | RSS max MB | RSS end MB | seconds |')
console.log('| --- | --- | --- | --- | --- | --- | --- |')
for (const { name, requests, failed, startMb, maxMb, endMb, seconds } of phases) {
  console.log(
    `| ${name} | ${requests} | ${failed} | ${startMb.toFixed(0)} | ${maxMb.toFixed(0)} | ${endMb.toFixed(0)} | ${seconds.toFixed(1)} |`,
  )
}
const worst = Math.max(...phases.map((result) => result.maxMb))
console.log(
  worst <= CAP_MB
    ? `PASS: resident memory peaked at ${worst.toFixed(0)} MB, under the ${CAP_MB} MB cap`
    : `FAIL: ${worst.toFixed(0)} MB is over the ${CAP_MB} MB cap`,
)
const exited = server.exitCode
process.exitCode = worst <= CAP_MB && exited === null && phases.every((result) => result.failed === 0) ? 0 : 1
