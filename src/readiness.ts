/**
 * Whether this process should get traffic: `starting` until the server listens with its catalogue
 * loaded, `ready` while it serves, `draining` from the first shutdown signal on. The state only moves
 * forward, so a process that has begun to drain can never be reported ready again.
 */
export type ReadinessState = 'starting' | 'ready' | 'draining'

export class Readiness {
  #state: ReadinessState

  constructor(state: ReadinessState = 'starting') {
    this.#state = state
  }

  get state(): ReadinessState {
    return this.#state
  }

  get isReady(): boolean {
    return this.#state === 'ready'
  }

  /** The server listens and can answer: a no-op once draining has begun. */
  ready(): void {
    if (this.#state === 'starting') this.#state = 'ready'
  }

  /** Shutdown has begun: not ready again, whatever happens next. */
  drain(): void {
    this.#state = 'draining'
  }
}
