import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { validatorCompiler } from 'fastify-type-provider-zod'
import type { Catalogue } from './catalogue/catalogue.js'
import { LiveCatalogue } from './catalogue/live-catalogue.js'
import { Metrics } from './metrics.js'
import { registerConnectionCloseWhileDraining } from './plugins/draining.js'
import { loadConfig, type Config } from './config.js'
import { registerCaching } from './plugins/caching.js'
import { registerCrossOrigin } from './plugins/cross-origin.js'
import { limitOptions, registerRequestLimits } from './plugins/limits.js'
import { registerOpenApi } from './plugins/openapi.js'
import { registerProblemHandlers, replyWithProblem } from './plugins/problems.js'
import { registerRateLimit } from './plugins/rate-limit.js'
import { registerReplay } from './plugins/replay.js'
import { frontedServer, replayFront } from './http/replay-front.js'
import { ReplayStore } from './http/replay-store.js'
import { registerRequestIdHeader, RequestLogController, requestIdOf } from './plugins/request-log.js'
import { observeWhenAnswered, registerRequestMetrics } from './plugins/request-metrics.js'
import { Readiness } from './readiness.js'
import { registerSecurityHeaders } from './plugins/security-headers.js'
import { healthRoutes } from './routes/health.js'
import { metricsRoutes } from './routes/metrics.js'
import { worksRoutes } from './routes/works.js'
import { exportRoutes } from './routes/export.js'
import { stylesRoutes } from './routes/styles.js'
import { pagesRoutes } from './routes/pages.js'
import { harvestingRoutes } from './routes/harvesting.js'
import { openCslServices, type CslServices } from './formats/csl/services.js'
import { RenderCache } from './formats/render-cache.js'
import type { Rendered } from './routes/citations.js'

export interface AppOptions {
  /** The catalogue; a LiveCatalogue when it can be reloaded while serving. */
  readonly catalogue: Catalogue | LiveCatalogue
  /** Renderings of single works; by default a small one of its own. */
  readonly renderCache?: RenderCache<Rendered>
  /**
   * The CSL styles, locales and render workers; by default citation-js's built-in ones only, with
   * workers that close with the app. Workers handed in are the caller's to close.
   */
  readonly csl?: CslServices
  /** A pino logger; without one the app logs nothing (as in most tests). */
  readonly logger?: FastifyBaseLogger
  /** What /health/ready reports; the server moves it along. Without one the app is ready at once. */
  readonly readiness?: Readiness
  /** What /metrics exposes; without one the app makes its own. */
  readonly metrics?: Metrics
  /** The HTTP settings (caching, CORS, rate limit, proxies, timeouts); the defaults without one. */
  readonly config?: Config
}

// DOIs contain slashes and clients paste them unencoded (/works/10.1234/abc.def/citation). Before
// routing, the slashes inside the id are encoded, so the documented one-segment routes match.
const WORK_PATH = /^\/works\/(.+?)(\/citation|\/widget)?$/

export function encodeWorkIdSlashes(url: string): string {
  const queryStart = url.indexOf('?')
  const path = queryStart === -1 ? url : url.slice(0, queryStart)
  const match = WORK_PATH.exec(path)
  if (!match || !(match[1] as string).includes('/')) return url
  const query = queryStart === -1 ? '' : url.slice(queryStart)
  return `/works/${(match[1] as string).replaceAll('/', '%2F')}${match[2] ?? ''}${query}`
}

function trustHops(proxies: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < proxies
}

async function builtinCslServices(): Promise<CslServices> {
  return openCslServices({ styleDirectories: [], localeDirectories: [], engines: 8, workers: 1 })
}

/** Builds the application: what the server listens with and what tests inject requests into. */
export async function buildApp({
  catalogue,
  csl,
  logger,
  readiness = new Readiness('ready'),
  metrics = new Metrics(),
  config = loadConfig({}),
  renderCache,
}: AppOptions): Promise<FastifyInstance> {
  const styles = csl ?? (await builtinCslServices())
  metrics.watchRenderPool(() => styles.renderer.stats)
  const live = catalogue instanceof LiveCatalogue ? catalogue : new LiveCatalogue(catalogue)
  const cache = renderCache ?? new RenderCache<Rendered>(1000)
  const rateLimited = config.RATE_LIMIT_MAX > 0
  const replays = new ReplayStore(config.REPLAY_ENTRIES, () => live.current.generation)
  const front = replayFront({
    store: replays,
    passOn: () => readiness.state === 'draining' || rateLimited,
    metrics,
    ...(logger ? { logger } : {}),
  })
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    ...limitOptions(config.REQUEST_TIMEOUT),
    // A number of proxies means: trust that many hops of X-Forwarded-For.
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    genReqId: requestIdOf,
    logController: new RequestLogController(),
    rewriteUrl: (request) => encodeWorkIdSlashes(request.url ?? '/'),
    routerOptions: { maxParamLength: 2000 },
    // Stored answers are replayed before Fastify sees their requests (src/plugins/replay.ts).
    serverFactory: (handler, options) => frontedServer(front, handler, options),
    // Requests that reach a closing app on an open keep-alive connection are answered as usual (with
    // `Connection: close`), not with Fastify's bare 503: the shutdown waits for them.
    return503OnClosing: false,
    frameworkErrors: (error, request, reply) => {
      observeWhenAnswered(metrics, request, reply)
      return replyWithProblem(error, request, reply)
    },
  })
  app.setValidatorCompiler(validatorCompiler)
  // Responses are built from validated data, so they are serialised as they are, not re-validated.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))

  registerProblemHandlers(app)
  registerRequestIdHeader(app)
  registerRequestMetrics(app, metrics)
  registerConnectionCloseWhileDraining(app, readiness)
  // The order of these onRequest hooks matters: the requests that the limits refuse still get the
  // security and CORS headers, so that a page on another origin can read why.
  registerSecurityHeaders(app)
  await registerCrossOrigin(app, config.CORS_ORIGINS, rateLimited)
  registerRequestLimits(app)
  await registerRateLimit(app, { max: config.RATE_LIMIT_MAX, windowSeconds: config.RATE_LIMIT_WINDOW })
  if (config.REPLAY_ENTRIES > 0) registerReplay(app, replays)
  registerCaching(app, { maxAge: config.CACHE_MAX_AGE, lastModified: () => live.current.catalogue.modified })
  await registerOpenApi(app)
  await app.register(worksRoutes, { catalogue: live, csl: styles, renderCache: cache })
  await app.register(exportRoutes, { catalogue: live, csl: styles })
  await app.register(stylesRoutes, { library: styles.library })
  await app.register(pagesRoutes, { catalogue: live, csl: styles, renderCache: cache, widgetOrigins: config.WIDGET_ORIGINS })
  await app.register(harvestingRoutes, { catalogue: live, config })
  await app.register(healthRoutes, { catalogue: live, readiness })
  await app.register(metricsRoutes, { metrics })
  if (csl === undefined) app.addHook('onClose', () => styles.renderer.close())
  return app
}
