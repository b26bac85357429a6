import { createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerProcess } from './fixtures/server-process.js'

// What a newcomer sees when starting the server: where it listens, what it found, why it cannot start.

describe('a busy port', () => {
  let holder: Server
  let port: number
  beforeAll(async () => {
    holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    port = (holder.address() as { port: number }).port
  })
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())))

  it('is one line naming PORT, exit code 1, before any startup work', { timeout: 90_000 }, async () => {
    const server = new ServerProcess({ PORT: String(port), HOST: '127.0.0.1' })
    expect(await server.exited).toBe(1)
    expect(server.stderr).toBe(
      `citeserve: cannot start: port ${port} on 127.0.0.1 is in use by another process; stop it, or set PORT to a free port (PORT=0 picks one)\n`,
    )
    expect(server.stdout).toBe('') // not even the catalogue was loaded
  })
})

describe('the default address', () => {
  it('is the IPv4 loopback, as documented', { timeout: 90_000 }, async () => {
    const server = new ServerProcess({ PORT: '0', HOST: '', WARM_WORKS: '0' }) // an empty variable is unset
    const base = await server.listening()
    expect((await fetch(`${base}/health/live`)).status).toBe(200)
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  })
})

describe('the start log', () => {
  it('names each style and locale directory with what it gave, and the Debian package of a missing one', { timeout: 90_000 }, async () => {
    const styles = fileURLToPath(new URL('./fixtures/csl-styles', import.meta.url))
    const locales = fileURLToPath(new URL('./fixtures/csl-locales', import.meta.url))
    const server = new ServerProcess({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
      WARM_WORKS: '0',
      CSL_STYLE_DIRS: `/nonexistent/styles:${styles}`,
      CSL_LOCALE_DIRS: `${locales}:/nonexistent/locales`,
    })
    await server.listening()
    server.child.kill('SIGTERM')
    await server.exited
    const lines = server.logLines()
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, directory: styles, styles: 2, msg: 'CSL styles read' }))
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, directory: locales, locales: 1, msg: 'CSL locales read' }))
    const missing = lines.filter((line) => line.level === 40)
    expect(missing.map((line) => line.directory)).toEqual(['/nonexistent/styles', '/nonexistent/locales'])
    expect(missing[0]?.msg).toContain('apt-get install citation-style-language-styles')
    expect(missing[1]?.msg).toContain('apt-get install citation-style-language-locales')
  })
})
