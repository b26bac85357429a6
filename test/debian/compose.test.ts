import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'

// Debian's docker-compose reads and validates a compose file without a container engine (`config`):
// the compose file must pass its schema and resolve as test/deploy-compose.test.ts expects.
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const directory = await mkdtemp(join(tmpdir(), 'citeserve-compose-'))
afterAll(() => rm(directory, { recursive: true, force: true }))

interface Resolved {
  services: Record<
    string,
    { build?: { context: string }; depends_on?: Record<string, { condition: string }>; ports?: { target: number }[] }
  >
}

/** docker-compose's resolved view of a compose file, or its complaint. */
function composeConfig(file: string): { status: number | null; resolved?: Resolved; stderr: string } {
  const result = spawnSync('docker-compose', ['--project-directory', ROOT, '-f', file, 'config'], { encoding: 'utf8' })
  return { status: result.status, stderr: result.stderr, ...(result.status === 0 ? { resolved: parse(result.stdout) as Resolved } : {}) }
}

describe('docker-compose reads docker-compose.yaml', () => {
  it('as valid, building citeserve from this repository after PostgreSQL is healthy and the migration is done', () => {
    const { status, resolved, stderr } = composeConfig(join(ROOT, 'docker-compose.yaml'))
    expect(status, stderr).toBe(0)
    const { citeserve, migrate } = resolved?.services ?? {}
    expect(citeserve?.build?.context).toBe(ROOT.replace(/\/$/, ''))
    expect(migrate?.build?.context).toBe(ROOT.replace(/\/$/, ''))
    expect(citeserve?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    })
    expect(citeserve?.ports?.map((port) => port.target)).toEqual([3000])
  })

  it('and refuses the file with a dependency on a service it does not have, so its approval means something', async () => {
    const broken = parse(await readFile(join(ROOT, 'docker-compose.yaml'), 'utf8')) as { services: Record<string, unknown> }
    delete broken.services.migrate
    const file = join(directory, 'broken.yaml')
    await writeFile(file, stringify(broken))
    const { status, stderr } = composeConfig(file)
    expect(status).not.toBe(0)
    expect(stderr).toMatch(/migrate/)
  })
})
