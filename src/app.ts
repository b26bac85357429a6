import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { validatorCompiler } from 'fastify-type-provider-zod'
import type { CatalogueStore } from './catalogue/store.js'
import type { RenderCache } from './citations/render-cache.js'
import type { Rendered } from './citations/render.js'
import type { Config } from './config.js'
import type { CslServices } from './formats/csl/services.js'
import { WriteTokens } from './http/write-tokens.js'
import type { Metrics } from './metrics.js'
import { accessLogPlugin } from './plugins/access-log.js'
import { cachingPlugin } from './plugins/caching.js'
import { crossOriginPlugin } from './plugins/cross-origin.js'
import { drainingPlugin } from './plugins/draining.js'
import { exchangeLimitsPlugin } from './plugins/exchange-limits.js'
import { limitOptions, requestLimitsPlugin } from './plugins/limits.js'
import { openApiPlugin } from './plugins/openapi.js'
import { problemsPlugin, replyWithProblem } from './plugins/problems.js'
import { rateLimitPlugin } from './plugins/rate-limit.js'
import { requestIdOf, requestIdPlugin } from './plugins/request-id.js'
import { observeWhenAnswered, requestMetricsPlugin } from './plugins/request-metrics.js'
import { securityHeadersPlugin } from './plugins/security-headers.js'
import { writeAuthPlugin } from './plugins/write-auth.js'
import type { Readiness } from './readiness.js'
import { exportRoutes } from './routes/export.js'
import { harvestingRoutes } from './routes/harvesting.js'
import { healthRoutes } from './routes/health.js'
import { metricsRoutes } from './routes/metrics.js'
import { pagesRoutes } from './routes/pages.js'
import { storeProblemOf } from './routes/store-problems.js'
import { stylesRoutes } from './routes/styles.js'
import { worksRoutes } from './routes/works.js'
import { writeRoutes } from './routes/writes.js'

/**
 * What the app serves with. The app uses them and closes none: whoever made them (src/server.ts, or a
 * test's fixture) closes them after the app.
 */
export interface AppDependencies {
  /** The catalogue's records, in whichever store keeps them. */
  readonly store: CatalogueStore
  /** The tokens that may write; without, writes are off. */
  readonly writeTokens?: WriteTokens
  /** The CSL styles, locales and render workers. */
  readonly csl: CslServices
  /** Renderings of single works. */
  readonly renderCache: RenderCache<Rendered>
  /** What /metrics exposes. */
  readonly metrics: Metrics
  /** What /health/ready reports, and whether answers ask clients to close their connections. */
  readonly readiness: Readiness
  /** The HTTP settings (caching, CORS, rate limit, proxies, timeouts). */
  readonly config: Config
  /** Where the access log and errors go. */
  readonly logger: FastifyBaseLogger
}

// DOIs contain slashes and clients paste them unencoded (/works/10.1234/abc.def/citation). Before
// routing, the slashes inside the id are encoded, so the documented one-segment routes match.
const WORK_PATH = /^(\/pages)?\/works\/(.+?)(\/citation|\/widget)?$/

export function encodeWorkIdSlashes(url: string): string {
  const queryStart = url.indexOf('?')
  const path = queryStart === -1 ? url : url.slice(0, queryStart)
  const match = WORK_PATH.exec(path)
  if (!match || !(match[2] as string).includes('/')) return url
  const query = queryStart === -1 ? '' : url.slice(queryStart)
  return `${match[1] ?? ''}/works/${(match[2] as string).replaceAll('/', '%2F')}${match[3] ?? ''}${query}`
}

function trustHops(proxies: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < proxies
}

/**
 * Builds the application: what the server listens with and what tests inject requests into. Every
 * cross-cutting concern is a named plugin that declares the plugins it must come after (Fastify
 * refuses to start when one is missing or out of order); onRequest hooks run in this order.
 */
export async function buildApp({
  store,
  writeTokens = WriteTokens.none,
  csl,
  renderCache,
  metrics,
  readiness,
  config,
  logger,
}: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    // One access log line per request (accessLogPlugin) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    ...limitOptions(config.REQUEST_TIMEOUT, config.IDLE_TIMEOUT),
    // A number of proxies means: trust that many hops of X-Forwarded-For.
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    genReqId: requestIdOf,
    rewriteUrl: (request) => encodeWorkIdSlashes(request.url ?? '/'),
    routerOptions: { maxParamLength: 2000 },
    // Requests that reach a closing app on an open keep-alive connection are answered as usual (with
    // `Connection: close`), not with Fastify's bare 503: the shutdown waits for them.
    return503OnClosing: false,
    frameworkErrors: (error, request, reply) => {
      observeWhenAnswered(metrics, request, reply)
      void replyWithProblem(error, request, reply)
    },
  })
  app.setValidatorCompiler(validatorCompiler)
  // Responses are built from validated data, so they are serialised as they are, not re-validated.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))

  const rateLimited = config.RATE_LIMIT_MAX > 0
  await app.register(problemsPlugin, { problemOf: storeProblemOf })
  await app.register(requestIdPlugin)
  await app.register(requestMetricsPlugin, { metrics })
  await app.register(accessLogPlugin)
  await app.register(drainingPlugin, { readiness })
  await app.register(securityHeadersPlugin)
  await app.register(crossOriginPlugin, { origins: config.CORS_ORIGINS, writeOrigins: config.WRITE_CORS_ORIGINS, rateLimited })
  await app.register(requestLimitsPlugin)
  await app.register(exchangeLimitsPlugin, {
    exchangeSeconds: config.EXCHANGE_TIMEOUT,
    maxConnections: config.MAX_CONNECTIONS,
    maxClientRequests: config.MAX_CLIENT_REQUESTS,
  })
  await app.register(rateLimitPlugin, { max: config.RATE_LIMIT_MAX, windowSeconds: config.RATE_LIMIT_WINDOW })
  await app.register(writeAuthPlugin, {
    tokens: writeTokens,
    origins: config.WRITE_CORS_ORIGINS ?? [],
    failures: config.WRITE_AUTH_FAILURES,
    windowSeconds: config.RATE_LIMIT_WINDOW,
  })
  await app.register(cachingPlugin, { maxAge: config.CACHE_MAX_AGE })
  await app.register(openApiPlugin)

  await app.register(worksRoutes, { store, csl, renderCache })
  await app.register(writeRoutes, { store, maxBytes: config.WRITE_MAX_BYTES, maxWorks: config.WRITE_MAX_WORKS })
  await app.register(exportRoutes, { store, csl, exchangeSeconds: config.EXCHANGE_TIMEOUT, maxExports: config.MAX_EXPORTS })
  await app.register(stylesRoutes, { library: csl.library })
  await app.register(pagesRoutes, { store, csl, renderCache, widgetOrigins: config.WIDGET_ORIGINS, publicBase: config.PUBLIC_URL })
  await app.register(harvestingRoutes, { store, config })
  await app.register(healthRoutes, { store, readiness })
  await app.register(metricsRoutes, { metrics })
  return app
}
