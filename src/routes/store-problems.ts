import { StoreUnavailableError } from '../catalogue/store.js'
import { HttpProblem } from '../http/problem.js'

/** Seconds a client is asked to wait: the store reconnects by itself well within that. */
const RETRY_AFTER_SECONDS = 2

/**
 * The problem a store's failure is, wherever in a route it happened: a database that cannot answer
 * now is a 503 to try again shortly, its reason kept for the log.
 */
export function storeProblemOf(error: unknown): HttpProblem | undefined {
  if (!(error instanceof StoreUnavailableError)) return undefined
  return new HttpProblem(
    'catalogue-unavailable',
    'The catalogue cannot be read just now; try again shortly.',
    {},
    {
      'retry-after': String(RETRY_AFTER_SECONDS),
    },
  )
}
