import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * The worker entry `name` beside the module at `base` (its `import.meta.url`). Modules are TypeScript
 * under tsx or vitest (npm start, tests) and JavaScript once built, and the entry beside them is the same.
 */
export function workerEntry(name: string, base: string): URL {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(base).pathname)?.[0] ?? '.js'
  return new URL(`./${name}${extension}`, base)
}

/**
 * A worker running `entry`. A TypeScript entry first registers tsx's loader in the worker: workers do
 * not inherit the loader hooks of the thread that starts them (nor does vitest's transform reach them).
 */
export function startWorker(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options)
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  const code = `import(${tsx}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(code, { ...options, eval: true })
}
