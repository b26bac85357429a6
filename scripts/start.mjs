// `npm start`: runs the compiled server (dist/, built by `npm ci` through the `prepare` script), after
// compiling again if any source is newer than it, so that a start never runs stale code. Plain
// JavaScript, as it must run before anything is compiled; loading the server through tsx instead
// would cost every start about half a second (see README, Performance).
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { staleBuild } from './stale-build.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const server = join(root, 'dist/server.js')

const reason = staleBuild(root)
if (reason !== undefined) {
  // Standard output is the service's JSON log; the compiler talks on standard error.
  process.stderr.write(`citeserve: ${reason}; compiling (npm run build)\n`)
  let tsc
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  } catch {
    process.stderr.write('citeserve: cannot start: the TypeScript compiler is not installed (npm ci installs it)\n')
    process.exit(1)
  }
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 2, 2] })
  if (build.status !== 0) {
    process.stderr.write('citeserve: cannot start: the TypeScript build failed (errors above)\n')
    process.exit(1)
  }
}
await import(pathToFileURL(server).href)
