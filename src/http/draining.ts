import { Server as NetServer } from 'node:net'
import type { Server, ServerResponse } from 'node:http'

/**
 * Stops accepting connections and leaves every open one alone. `http.Server.close()` cannot do this:
 * since Node 19 it first destroys the connections it deems idle, and that includes a connection whose
 * response has been ended by the handler but not yet sent, so a large answer to a slow client would be
 * cut off. The listening socket is closed with the plain `net.Server` close instead.
 */
export function stopAccepting(server: Server): void {
  if (server.listening) NetServer.prototype.close.call(server)
}

/** Tracks the responses of a server that have not yet been handed entirely to the operating system. */
export class ResponsesInFlight {
  readonly #open = new Set<ServerResponse>()
  #whenNoneLeft: (() => void)[] = []

  constructor(server: Server) {
    server.on('request', (_request, response: ServerResponse) => {
      this.#open.add(response)
      // 'finish' once the last byte is handed to the OS; 'close' if the connection went first.
      const settle = () => this.#settle(response)
      response.once('finish', settle)
      response.once('close', settle)
    })
  }

  get size(): number {
    return this.#open.size
  }

  /** Resolves once no response is in flight (at once if none is). */
  settled(): Promise<void> {
    if (this.#open.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.#whenNoneLeft.push(resolve))
  }

  #settle(response: ServerResponse): void {
    if (!this.#open.delete(response) || this.#open.size > 0) return
    const waiting = this.#whenNoneLeft
    this.#whenNoneLeft = []
    for (const resolve of waiting) resolve()
  }
}
