import { pino, type DestinationStream, type Logger } from 'pino'
import type { SonicBoom } from 'sonic-boom'
import { ConfigError, type Config } from './config.js'

const SECRET_REQUEST_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key']

/**
 * Header values that never reach a log, wherever a request's or response's headers are logged.
 * Nothing logs headers today; this keeps it so when someone logs a request whole.
 */
const REDACTED_PATHS: readonly string[] = [
  ...SECRET_REQUEST_HEADERS.flatMap((header) => [`req.headers["${header}"]`, `request.headers["${header}"]`, `headers["${header}"]`]),
  'res.headers["set-cookie"]',
  'reply.headers["set-cookie"]',
]

// The fields of a request line that the readable format folds into its message.
const REQUEST_FIELDS = ['method', 'url', 'route', 'status', 'durationMs', 'client', 'userAgent', 'problem', 'reqId']

/** A request line as a person reads it: `GET /works 200 3.1 ms 127.0.0.1 "curl/8.5.0"`, and the problem type of an error. */
export function readableRequestLine(log: Record<string, unknown>): string | undefined {
  if (typeof log.method !== 'string' || typeof log.status !== 'number') return undefined
  const problem = typeof log.problem === 'string' ? ` ${log.problem}` : ''
  const agent = typeof log.userAgent === 'string' ? ` ${JSON.stringify(log.userAgent)}` : ''
  return `${log.method} ${String(log.url)} ${log.status}${problem} ${String(log.durationMs)} ms ${typeof log.client === 'string' ? log.client : ''}${agent}`
}

/** pino-pretty when installed; undefined when it is not, unless it was asked for by name. */
async function prettyStream(required: boolean): Promise<DestinationStream | undefined> {
  try {
    // A development dependency: production installs (the container's) do not have it.
    const { default: pretty } = await import('pino-pretty')
    return pretty({
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: ['hostname', ...REQUEST_FIELDS].join(','),
      messageFormat: (log, messageKey) => readableRequestLine(log) ?? String(log[messageKey]),
      sync: true,
    })
  } catch {
    if (!required) return undefined
    throw new ConfigError(
      'invalid configuration:\n  LOG_FORMAT="pretty": needs pino-pretty, a development dependency that this installation lacks; use LOG_FORMAT=json',
    )
  }
}

/** The log format asked for, or, unset, the one that suits where the lines go: readable on a terminal, JSON for a collector. */
export function logFormat(asked: Config['LOG_FORMAT'], terminal: boolean): 'json' | 'pretty' {
  return asked ?? (terminal ? 'pretty' : 'json')
}

/** Bytes of JSON lines gathered before they are written: a write of many access log lines, not one each. */
const LOG_BUFFER_BYTES = 4096
/** How long a line may wait in that buffer on a quiet server, in milliseconds. */
const LOG_FLUSH_MS = 250

declare module 'sonic-boom' {
  interface SonicBoom {
    /** In `contentMode: 'buffer'`, sonic-boom takes bytes (its own types name only strings). */
    write(bytes: Buffer): boolean
  }
}

/**
 * pino's lines handed to sonic-boom as bytes, in its byte mode: in its text mode it measures its whole
 * pending text again for every line written, which costs more than serialising the line.
 */
function asBytes(sonic: SonicBoom): DestinationStream & { flush: (done: (error?: Error) => void) => void } {
  return {
    write: (line: string) => void sonic.write(Buffer.from(line)),
    flush: (done) => sonic.flush(done),
  }
}

/**
 * The service's pino logger: JSON lines on standard output, or readable lines for development.
 * JSON lines are buffered and written asynchronously; the shutdown flushes them (src/shutdown.ts),
 * and pino writes what is left when the process exits.
 */
export async function createLogger(
  { LOG_LEVEL, LOG_FORMAT }: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  destination?: DestinationStream,
  terminal = process.stdout.isTTY === true,
): Promise<Logger> {
  const options = { level: LOG_LEVEL, redact: [...REDACTED_PATHS], timestamp: pino.stdTimeFunctions.isoTime }
  if (destination) return pino(options, destination)
  const pretty = logFormat(LOG_FORMAT, terminal) === 'pretty' ? await prettyStream(LOG_FORMAT === 'pretty') : undefined
  if (pretty) return pino(options, pretty)
  const lines = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS, contentMode: 'buffer' })
  return pino(options, asBytes(lines))
}
