import { createServer } from 'node:net'

/** The message for a port another process holds: one line that says which setting to change. */
export function portInUse(port: number, host: string): string {
  return `port ${port} on ${host} is in use by another process; stop it, or set PORT to a free port (PORT=0 picks one)`
}

/**
 * Resolves with an error message when the port cannot be listened on, else undefined. Checked before
 * the catalogue is loaded, so that a busy port fails at once rather than after the whole start.
 */
export function checkPort(port: number, host: string): Promise<string | undefined> {
  if (port === 0) return Promise.resolve(undefined)
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRINUSE' ? portInUse(port, host) : `cannot listen on ${host}:${port}: ${error.code ?? error.message}`),
    )
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)))
  })
}
