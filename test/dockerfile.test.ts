import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// No Docker engine runs here, so the Dockerfile is checked for what can be checked without one.
const root = new URL('..', import.meta.url)
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8').replace(/\\\n/g, ' ')
const instructions = dockerfile
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts

describe('the Dockerfile', () => {
  it('copies only files that exist in the repository', () => {
    const sources = instructions
      .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1))
    expect(sources.length).toBeGreaterThan(3)
    for (const source of sources) expect(existsSync(new URL(source, root)), source).toBe(true)
  })

  it('builds with the package’s build script and runs what `npm run start:dist` runs', () => {
    expect(instructions).toContain('RUN npm run build')
    const command = JSON.parse(instructions.find((line) => line.startsWith('CMD '))?.slice(4) ?? '[]') as string[]
    expect(command.join(' ')).toBe(scripts['start:dist'])
  })

  it('has two stages, production dependencies only in the second, and runs as a non-root user', () => {
    expect(instructions.filter((line) => line.startsWith('FROM '))).toHaveLength(2)
    expect(instructions).toContain('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force')
    expect(instructions.filter((line) => line.startsWith('USER '))).toEqual(['USER node'])
  })

  it('checks health on the readiness route and makes the data file configurable', () => {
    expect(instructions.find((line) => line.startsWith('HEALTHCHECK'))).toContain('/health/ready')
    expect(dockerfile).toMatch(/DATA_FILE=\/app\/data\/works\.json/)
  })
})
