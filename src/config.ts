import { fileURLToPath } from 'node:url'
import { z } from 'zod'

/** The bundled catalogue, found relative to this module so it works from src/ and dist/ alike. */
export const BUNDLED_DATA_FILE = fileURLToPath(new URL('../data/works.json', import.meta.url))

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Where Debian's citation-style-language-styles and -locales packages install the official files. */
export const DEBIAN_CSL_DIRECTORY = '/usr/share/citation-style-language'

const directoryList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((list) => list.split(':').filter((directory) => directory !== ''))

/** A comma-separated list of origins (scheme, host and port, as browsers send in `Origin`), or `*`. */
const corsOrigins = z
  .string()
  .transform((text) => text.split(',').map((origin) => origin.trim()))
  .pipe(
    z.union([
      z.tuple([z.literal('*')]),
      z.array(z.string().regex(/^https?:\/\/[^/\s?#]+$/, 'each origin must be scheme://host[:port], without a path')).min(1),
    ]),
  )

/** `true`, `false`, or how many proxies in front of the service to trust for the client address. */
const trustProxy = z
  .string()
  .regex(/^(?:true|false|[1-9]|10)$/, 'expected true, false or a number of proxies from 1 to 10')
  .transform((text) => (text === 'true' ? true : text === 'false' ? false : Number(text)))

/** A PostgreSQL connection URL, as libpq and node-postgres take it. */
const postgresUrl = z.string().regex(/^postgres(?:ql)?:\/\/\S*$/, 'expected a postgres:// or postgresql:// URL')

/** Every environment variable the service reads, with its default; docs/configuration.md is generated from it. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('TCP port to listen on (0 picks a free one)'),
  // Not localhost: it resolves to 127.0.0.1 or ::1 depending on the system, and one address is bound.
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe(
      'Address to listen on: 127.0.0.1 (IPv4 loopback); ::1 for IPv6 loopback; 0.0.0.0 or :: for every interface (as in the container)',
    ),
  DATA_FILE: z.string().min(1).default(BUNDLED_DATA_FILE).describe('Path of the CSL-JSON catalogue'),
  DATA_WATCH_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(0)
    .describe('0: reload the data file on SIGHUP only; else also when it changed and then stayed unchanged this many milliseconds'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info').describe('pino log level'),
  CSL_STYLE_DIRS: directoryList(`${DEBIAN_CSL_DIRECTORY}/styles`).describe(
    'Colon-separated directories of .csl styles (and their dependent/)',
  ),
  CSL_LOCALE_DIRS: directoryList(`${DEBIAN_CSL_DIRECTORY}/locales`).describe('Colon-separated directories of locales-*.xml files'),
  CSL_ENGINES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(16)
    .describe('Compiled CSL engines (style × locale) kept in memory, by all render workers together (at least one each)'),
  CSL_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('Worker threads that render bibliographies and citations, so that no style compiles on the event loop'),
  CSL_WORKER_TIMEOUT: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(60)
    .describe('Seconds a busy render worker may go without answering before it is taken for hung, stopped and replaced'),
  RENDER_CACHE_ENTRIES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(10_000)
    .describe('Rendered citations (work × format × style × locale × output) kept in memory'),
  // What the warm-up buys is the APA engine compiled and each renderer's code warmed, which the first
  // work does; in a large catalogue a hundred first works in file order are no likelier to be asked
  // for than any others, and rendering them cost the start at 100,000 works a second of CPU.
  WARM_WORKS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(10)
    .describe('Works whose default citations are rendered after the server listens and before it reports ready'),
  LOG_FORMAT: z
    .enum(['json', 'pretty'])
    .optional()
    .describe(
      'json: one JSON object a line; pretty: readable lines for a person (needs the dev dependency pino-pretty). ' +
        'Unset: pretty when standard output is a terminal and pino-pretty is installed, else json',
    ),
  SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(8000)
    .describe('How long requests in flight may take to finish after SIGTERM or SIGINT before the process exits anyway'),
  CACHE_MAX_AGE: z.coerce.number().int().min(0).max(31_536_000).default(300).describe('Seconds caches may reuse a response'),
  CORS_ORIGINS: corsOrigins.default(['*']).describe('Origins whose pages may read responses: * or a comma-separated list'),
  WIDGET_ORIGINS: corsOrigins
    .default(['*'])
    .describe('Origins whose pages may frame the widget (/works/{id}/widget): * or a comma-separated list; no other page may be framed'),
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(0).describe('Requests a client may make per window; 0 turns rate limiting off'),
  RATE_LIMIT_WINDOW: z.coerce.number().int().min(1).max(86_400).default(60).describe('Length of the rate limit window in seconds'),
  TRUST_PROXY: trustProxy
    .default(false)
    .describe('Whether to take the client address from X-Forwarded-For (true, or the number of proxies)'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional()
    .describe(
      'The public base URL (https://cite.example.org) of absolute links: landing pages’ canonical link and citation_public_url, OAI-PMH baseURL and identifiers, sitemaps, robots.txt; ' +
        'unset, each request’s own scheme and Host (X-Forwarded-* with TRUST_PROXY)',
    ),
  OAI_ADMIN_EMAIL: z
    .email()
    .default('webmaster@example.org')
    .describe('The address OAI-PMH Identify gives harvesters to write to; set it to a real one'),
  DATABASE_URL: postgresUrl
    .optional()
    .describe(
      'The PostgreSQL database of the catalogue (postgres://user:password@host:5432/name); unset: the catalogue is DATA_FILE, in memory',
    ),
  DATABASE_READ_URL: postgresUrl
    .optional()
    .describe(
      'A streaming standby of DATABASE_URL to send reads to; a process reads its own writes, and the changes it is told of, from the primary until the standby has replayed them',
    ),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('Connections each process keeps to the primary, and to the standby'),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(5000)
    .describe('The longest one database statement may take before the request fails with 503'),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(2000)
    .describe('The longest to wait for a database connection before the request fails with 503'),
  // The cache is for the works asked for again and again: it cannot hold a large catalogue's share
  // worth having, a work it misses costs one lookup by primary key, and whole answers are cached by
  // the HTTP cache in front. Kept small, it leaves a replica's memory near what it needs when ready.
  DATABASE_CACHE_ENTRIES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(5000)
    .describe('Works each process keeps in memory for repeated lookups, invalidated by the database’s change notifications'),
  DATABASE_MIGRATE: z
    .enum(['start', 'never'])
    .default('start')
    .describe(
      'start: bring the database schema up to date at start (replicas starting together migrate once); never: leave it to `npm run migrate`',
    ),
  REQUEST_TIMEOUT: z.coerce.number().int().min(1).max(600).default(10).describe('Seconds a request may take to arrive, and to be answered'),
  WRITE_TOKENS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'File of the tokens that may write (PUT, DELETE, POST /works): one `name sha256-hex` line per token, the SHA-256 of the token, never the token; ' +
        'unset: writes are off (docs/writing.md)',
    ),
  WRITE_CORS_ORIGINS: corsOrigins
    .optional()
    .describe(
      'Origins whose pages may write (CORS preflight for PUT, DELETE and POST): a comma-separated list, or *; unset: none, writes only from outside browsers',
    ),
  WRITE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_073_741_824)
    .default(4_194_304)
    .describe('Largest request body a write may have, in bytes; larger gets 413'),
  WRITE_MAX_WORKS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1000)
    .describe('Most works one POST /works may add or replace; more gets 413'),
  WRITE_AUTH_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(10)
    .describe(
      'Failed write authentications a client may make per RATE_LIMIT_WINDOW before its writes are refused with 429 until the window ends',
    ),
  // Long enough for the largest export over a slow line; what a client that stops reading holds is
  // bounded anyway (exports are written as they are read), this frees even that.
  EXCHANGE_TIMEOUT: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(120)
    .describe('Seconds from a request’s arrival to the last byte of its answer; a client still not done reading then is disconnected'),
  IDLE_TIMEOUT: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(15)
    .describe('Seconds a connection may go without a byte sent or received (a client that stopped reading) before it is closed'),
  MAX_EXPORTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(16)
    .describe('Exports (GET /citations) sent at once; more get 503 with Retry-After'),
  MAX_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(2000)
    .describe('Open connections beyond which requests are refused with 503 and Retry-After (and the connection closed)'),
  MAX_CLIENT_REQUESTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(64)
    .describe('Requests one client (by address; behind proxies as TRUST_PROXY says) may have in flight at once; more get 429'),
  CSL_QUEUE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(200)
    .describe('Citations of single works that may wait for a render worker; beyond, 503 with Retry-After'),
  CSL_BULK_QUEUE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(4)
    .describe('Bibliographies and citations of several works that may wait for a render worker (after single works); beyond, 503'),
})

export type Config = z.infer<typeof configSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Reads the configuration; a wrong value names the variable, the value and what is allowed. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable (PORT= in a compose file, say) means "not set", not the value "".
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const result = configSchema.safeParse(set)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0])
    return `${variable}=${JSON.stringify(env[variable])}: ${issue.message}`
  })
  throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`)
}

/** The CSL services' settings: the server's and the load test's server's alike. */
export function cslServicesOptions(config: Config) {
  return {
    styleDirectories: config.CSL_STYLE_DIRS,
    localeDirectories: config.CSL_LOCALE_DIRS,
    engines: config.CSL_ENGINES,
    workers: config.CSL_WORKERS,
    queueLimit: config.CSL_QUEUE_LIMIT,
    bulkQueueLimit: config.CSL_BULK_QUEUE_LIMIT,
    hungAfterMs: config.CSL_WORKER_TIMEOUT * 1000,
  }
}
