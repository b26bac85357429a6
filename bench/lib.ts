// Processes, load and statistics for `npm run bench`. Loopback only, bounded in time.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { get, type IncomingMessage } from 'node:http'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** What a part of the benchmark is given: how long and hard to drive, and how to start citeserve. */
export interface PartSettings {
  readonly seconds: number
  readonly rounds: number
  readonly connections: number
  /** The entry point that starts citeserve, and its environment. */
  readonly server: string
  readonly env: Record<string, string>
  readonly progress: (text: string) => void
}

export interface Running {
  readonly child: ChildProcess
  readonly base: string
  /** Milliseconds from spawn to the first 200 of `readyPath`. */
  readonly readyMs: number
}

/** Spawns an entry point (TypeScript through tsx, JavaScript as it is) and waits until `readyPath` answers 200. */
export async function startProcess(script: string, env: Record<string, string>, readyPath: string): Promise<Running> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, script.endsWith('.ts') ? ['--import', 'tsx', script] : [script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  let exited: number | null | undefined
  child.once('exit', (code) => (exited = code))
  const base = `http://127.0.0.1:${port}`
  for (;;) {
    if (exited !== undefined) throw new Error(`${script} exited with ${exited} before it was ready`)
    const status = await fetch(`${base}${readyPath}`).then(
      (response) => response.status,
      () => 0,
    )
    if (status === 200) return { child, base, readyMs: performance.now() - started }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export function stop({ child }: Running): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** The process's resident set size in MB, from /proc (Linux). */
export function rssMb({ child }: Running): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024
}

/** CPU time the process has used so far, user and system, in milliseconds, from /proc (Linux). */
export function cpuMs({ child }: { readonly child: { readonly pid?: number | undefined } }): number {
  // Fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms; the name before them may hold spaces.
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export interface Load {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Microseconds of the server's CPU time per answered request, when the server was given. */
  readonly cpuUs?: number
  /** Answers with another status than the one expected, where they were allowed. */
  readonly refused: number
}

/** Requests to a server with a path of its own each: a different work, a different query. */
export interface VariedRequests {
  readonly base: string
  readonly nextPath: () => string
}

/**
 * Drives one URL (or varied paths of one server) for `seconds` with autocannon; any error, or other
 * status than `status` unless `allowRefusals` (then they are counted), aborts the benchmark. Given the
 * server, it also reports the CPU time the server spent per request: unlike requests per second, that
 * hardly depends on what else the machine is running.
 */
export async function load(
  target: string | VariedRequests,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
  status = 200,
  server?: Running,
  allowRefusals = false,
): Promise<Load> {
  const cpuBefore = server ? cpuMs(server) : 0
  const url = typeof target === 'string' ? target : target.base
  const varied =
    typeof target === 'string'
      ? {}
      : { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: target.nextPath() }) }] }
  // Each answer's own time, in fractions of a millisecond: autocannon's summary counts whole ones.
  const times: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, duration: seconds, connections, headers, ...varied }, (error: Error | null, summary) =>
      error ? reject(error) : resolve(summary),
    )
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === status) times.push(responseTime)
    })
  })
  const answered = result.statusCodeStats?.[`${status}`]?.count ?? 0
  const refused = result.requests.total - answered
  if (result.errors > 0 || (refused > 0 && !allowRefusals))
    throw new Error(`${url}: ${result.errors} errors, ${result.requests.total - answered} answers other than ${status}`)
  const cpuUs = server ? ((cpuMs(server) - cpuBefore) * 1000) / answered : undefined
  // No answer within the run: each took longer than the run.
  const latency = (fraction: number) => (times.length === 0 ? Number.POSITIVE_INFINITY : percentile(times, fraction))
  return {
    rps: result.requests.average,
    p50: latency(0.5),
    p99: latency(0.99),
    refused,
    ...(cpuUs === undefined ? {} : { cpuUs }),
  }
}

/** An answer's status, headers and body length. */
export interface CapturedResponse {
  readonly status: number
  readonly headers: Record<string, string>
  readonly bytes: number
}

/** One answer of `url` as autocannon gets it (no Accept-Encoding): status, headers and body length. */
export async function capture(url: string, headers: Record<string, string> = {}): Promise<CapturedResponse> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, { headers }, resolve).once('error', reject))
  let bytes = 0
  for await (const chunk of response) bytes += (chunk as Buffer).length
  const received = Object.entries(response.headers).map(([name, value]): [string, string] => [name, String(value)])
  return { status: response.statusCode ?? 0, headers: Object.fromEntries(received), bytes }
}

/** Milliseconds as a table shows them: a decimal under ten. */
export const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0)

/** The value below which `fraction` of the values lie (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** The median of each figure over several runs. */
export function medianLoad(runs: readonly Load[]): Load {
  const cpu = runs.flatMap((run) => (run.cpuUs === undefined ? [] : [run.cpuUs]))
  return {
    rps: median(runs.map((run) => run.rps)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    refused: runs.reduce((sum, run) => sum + run.refused, 0),
    ...(cpu.length > 0 ? { cpuUs: median(cpu) } : {}),
  }
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/**
 * The longest the event loop of `base` stalls while `work` runs: a cheap request every 10 ms, and
 * the slowest answer among them.
 */
export async function longestStall(base: string, work: () => Promise<unknown>): Promise<number> {
  let done = false
  let longest = 0
  const probe = async () => {
    while (!done) {
      const started = performance.now()
      await fetch(`${base}/health/live`).then((response) => response.arrayBuffer())
      longest = Math.max(longest, performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  const probing = probe()
  await new Promise((resolve) => setTimeout(resolve, 30))
  await work()
  done = true
  await probing
  return longest
}
