import { spawnSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

// The script under test over a one-file project, whose compile takes a moment. The project's own build,
// and the compiled server it gives, are tested in test/dockerfile.test.ts.
async function project(): Promise<string> {
  const app = await mkdtemp(join(tmpdir(), 'citeserve-start-'))
  for (const script of ['start.mjs', 'stale-build.mjs']) await cp(join(ROOT, 'scripts', script), join(app, 'scripts', script))
  const compilerOptions = { rootDir: 'src', outDir: 'dist', lib: ['es5'], types: [], strict: true }
  await writeFile(join(app, 'tsconfig.build.json'), JSON.stringify({ compilerOptions, include: ['src'] }))
  await mkdir(join(app, 'src'))
  await symlink(join(ROOT, 'node_modules'), join(app, 'node_modules'))
  return app
}

const serverSaying = (app: string, words: string) =>
  writeFile(
    join(app, 'src/server.ts'),
    `declare const console: { log(text: string): void }\nconst words: string = ${JSON.stringify(words)}\nconsole.log(words)\n`,
  )

/** `npm start`'s command in the project: its exit status and what it wrote. */
function start(app: string) {
  const { status, stdout, stderr } = spawnSync(process.execPath, ['scripts/start.mjs'], { cwd: app, encoding: 'utf8' })
  return { status, stdout, stderr }
}

// Each compile starts the TypeScript compiler, which takes seconds on a loaded machine.
describe('npm start (scripts/start.mjs)', { timeout: 60_000 }, () => {
  let app: string
  beforeAll(async () => {
    app = await project()
  })

  it('compiles when there is no build, runs the build as it is when nothing changed, and compiles again after a change', async () => {
    await serverSaying(app, 'first build')
    expect(start(app)).toEqual({
      status: 0,
      stdout: 'first build\n',
      stderr: 'citeserve: there is no dist/server.js; compiling (npm run build)\n',
    })
    expect(start(app)).toEqual({ status: 0, stdout: 'first build\n', stderr: '' })

    await serverSaying(app, 'second build')
    expect(start(app)).toEqual({
      status: 0,
      stdout: 'second build\n',
      stderr: 'citeserve: src/ changed since the last build; compiling (npm run build)\n',
    })
  })

  it('refuses to start when the sources do not compile', async () => {
    const app = await project()
    await writeFile(join(app, 'src/server.ts'), 'const words: number = "not a number"\n')
    const { status, stdout, stderr } = start(app)
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^citeserve: there is no dist\/server.js; compiling \(npm run build\)\n/)
    expect(stderr).toContain("error TS2322: Type 'string' is not assignable to type 'number'.")
    expect(stderr).toMatch(/citeserve: cannot start: the TypeScript build failed \(errors above\)\n$/)
  })
})
