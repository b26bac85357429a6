// Whether dist/ is older than what it is compiled from: `npm start` compiles again when it is, and the
// test of the built server reuses a build that is not. Plain JavaScript, as it runs before any build.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The latest modification time of a file, or of any file under a directory. */
function newest(path) {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return readdirSync(path).reduce((latest, entry) => Math.max(latest, newest(join(path, entry))), stats.mtimeMs)
}

/** Why the project at `root` must be compiled before dist/server.js runs, or undefined if it need not be. */
export function staleBuild(root) {
  const server = join(root, 'dist/server.js')
  if (!existsSync(server)) return 'there is no dist/server.js'
  const built = statSync(server).mtimeMs
  const inputs = [join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'src')]
  return inputs.some((input) => existsSync(input) && newest(input) > built) ? 'src/ changed since the last build' : undefined
}
