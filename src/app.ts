import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { validatorCompiler } from 'fastify-type-provider-zod'
import type { Catalogue } from './catalogue/catalogue.js'
import { LiveCatalogue } from './catalogue/live-catalogue.js'
import { registerOpenApi } from './plugins/openapi.js'
import { registerProblemHandlers, replyWithProblem } from './plugins/problems.js'
import { registerRequestIdHeader, RequestLogController, requestIdOf } from './plugins/request-log.js'
import { healthRoutes } from './routes/health.js'
import { worksRoutes } from './routes/works.js'
import { exportRoutes } from './routes/export.js'
import { stylesRoutes } from './routes/styles.js'
import { openCslServices, type CslServices } from './formats/csl/services.js'
import { RenderCache } from './formats/render-cache.js'
import type { Rendered } from './routes/citations.js'

export interface AppOptions {
  /** The catalogue; a LiveCatalogue when it can be reloaded while serving. */
  readonly catalogue: Catalogue | LiveCatalogue
  /** Renderings of single works; by default a small one of its own. */
  readonly renderCache?: RenderCache<Rendered>
  /** The CSL styles, locales and engines; by default citation-js's built-in ones only. */
  readonly csl?: CslServices
  /** A pino logger; without one the app logs nothing (as in most tests). */
  readonly logger?: FastifyBaseLogger
  readonly isReady?: () => boolean
}

// DOIs contain slashes and clients paste them unencoded (/works/10.1234/abc.def/citation). Before
// routing, the slashes inside the id are encoded, so the documented one-segment routes match.
const WORK_PATH = /^\/works\/(.+?)(\/citation)?$/

export function encodeWorkIdSlashes(url: string): string {
  const queryStart = url.indexOf('?')
  const path = queryStart === -1 ? url : url.slice(0, queryStart)
  const match = WORK_PATH.exec(path)
  if (!match || !(match[1] as string).includes('/')) return url
  const query = queryStart === -1 ? '' : url.slice(queryStart)
  return `/works/${(match[1] as string).replaceAll('/', '%2F')}${match[2] ?? ''}${query}`
}

async function builtinCslServices(): Promise<CslServices> {
  return openCslServices({ styleDirectories: [], localeDirectories: [], engines: 8 })
}

/** Builds the application: what the server listens with and what tests inject requests into. */
export async function buildApp({ catalogue, csl, logger, renderCache, isReady = () => true }: AppOptions): Promise<FastifyInstance> {
  const styles = csl ?? (await builtinCslServices())
  const live = catalogue instanceof LiveCatalogue ? catalogue : new LiveCatalogue(catalogue)
  const cache = renderCache ?? new RenderCache<Rendered>(1000)
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    genReqId: requestIdOf,
    logController: new RequestLogController(),
    rewriteUrl: (request) => encodeWorkIdSlashes(request.url ?? '/'),
    routerOptions: { maxParamLength: 2000 },
    frameworkErrors: replyWithProblem,
  })
  app.setValidatorCompiler(validatorCompiler)
  // Responses are built from validated data, so they are serialised as they are, not re-validated.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))

  registerProblemHandlers(app)
  registerRequestIdHeader(app)
  await registerOpenApi(app)
  await app.register(worksRoutes, { catalogue: live, csl: styles, renderCache: cache })
  await app.register(exportRoutes, { catalogue: live, csl: styles })
  await app.register(stylesRoutes, { library: styles.library })
  await app.register(healthRoutes, { catalogue: live, isReady })
  return app
}
