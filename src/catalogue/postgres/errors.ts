import { StoreUnavailableError } from '../store.js'

// Socket errors of a server that is down, restarting or unreachable.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])
// SQLSTATEs of a server that cannot answer now: connection exceptions (class 08), shutdown and start-up
// (57P01–57P03), a statement cancelled by statement_timeout (57014), too many connections (53300).
const SERVER_CODES = /^(?:08...|57P0[123]|57014|53300)$/
// node-postgres reports its own time-outs and a lost connection without a code.
const CLIENT_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection error|not queryable/i

/** Why `error` means the database cannot answer now, or undefined when it is another kind of failure. */
export function unavailableReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined
  if (error instanceof StoreUnavailableError) return error.reason
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return error.message
  if (CLIENT_MESSAGES.test(error.message)) return error.message
  // A connection that could not be made to any of several addresses.
  if (error instanceof AggregateError && error.errors.some((inner) => unavailableReason(inner) !== undefined)) return error.message
  return undefined
}

/** Runs `operation`, turning the failures of an unreachable database into StoreUnavailableError. */
export async function available<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    const reason = unavailableReason(error)
    throw reason === undefined ? error : new StoreUnavailableError(reason)
  }
}

/** Whether `error` is a unique violation: a concurrent write took the id, DOI or key first. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | undefined)?.code === '23505'
