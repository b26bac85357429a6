import { pino, type DestinationStream, type Logger } from 'pino'
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

async function prettyStream(): Promise<DestinationStream> {
  try {
    // A development dependency: production installs (the container's) do not have it.
    const { default: pretty } = await import('pino-pretty')
    return pretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true })
  } catch {
    throw new ConfigError(
      'invalid configuration:\n  LOG_FORMAT="pretty": needs pino-pretty, a development dependency that this installation lacks; use LOG_FORMAT=json',
    )
  }
}

/** Bytes of JSON lines gathered before they are written: a write of many access log lines, not one each. */
const LOG_BUFFER_BYTES = 4096
/** How long a line may wait in that buffer on a quiet server, in milliseconds. */
const LOG_FLUSH_MS = 250

/**
 * The service's pino logger: JSON lines on standard output, or readable lines for development.
 * JSON lines are buffered and written asynchronously; the shutdown flushes them (src/shutdown.ts),
 * and pino writes what is left when the process exits.
 */
export async function createLogger(
  { LOG_LEVEL, LOG_FORMAT }: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  destination?: DestinationStream,
): Promise<Logger> {
  const options = { level: LOG_LEVEL, redact: [...REDACTED_PATHS] }
  if (destination) return pino(options, destination)
  return pino(
    options,
    LOG_FORMAT === 'pretty'
      ? await prettyStream()
      : pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }),
  )
}
