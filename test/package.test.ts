import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'

// What npm ci reads: every installed package must accept every Node version `engines` promises, so that
// an install on the oldest one warns of nothing; and the licence is stated where npm and readers look.

const read = (path: string) => JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')) as Record<string, unknown>
const manifest = read('package.json') as { engines: { node: string }; license?: string }
const lock = read('package-lock.json') as { packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }> }

describe('package.json', () => {
  it('promises only Node versions every locked package accepts (no EBADENGINE from npm ci)', () => {
    const oldest = semver.minVersion(manifest.engines.node)?.version as string
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.optional && !Array.isArray(entry.engines) && entry.engines?.node !== undefined)
      .filter(([, entry]) => !semver.satisfies(oldest, (entry.engines as { node: string }).node))
      .map(([path, entry]) => `${path} wants node ${(entry.engines as { node: string }).node}`)
    expect(refusing).toEqual([])
  })

  it('states the licence of the LICENSE file', () => {
    expect(manifest.license).toBe('MIT')
    expect(readFileSync(new URL('../LICENSE', import.meta.url), 'utf8')).toMatch(/^MIT License\n/)
  })
})
