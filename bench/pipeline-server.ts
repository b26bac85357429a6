// The floor of citeserve's request pipeline: bare Fastify with as many hooks as a cached GET runs through
// in citeserve (src/app.ts), each doing nothing, citeserve's connection time-outs, and the headers of the
// citeserve answer it stands in for (PIPELINE_HEADERS, JSON). What citeserve spends beyond this is the
// work its hooks and route do; what this spends beyond bare Fastify is the pipeline itself.
import Fastify from 'fastify'
import { loadConfig } from '../src/config.js'
import { limitOptions } from '../src/plugins/limits.js'
import { serveConstantBodies } from './constant-bodies.js'

const ON_REQUEST = 7 // request id, draining, security headers, OPTIONS Allow, CORS, limits, exchange limits
const ON_RESPONSE = 3 // exchange limits, metrics, access log
const ON_SEND = 1 // caching

const headers = JSON.parse(process.env.PIPELINE_HEADERS ?? '{}') as Record<string, string>
const config = loadConfig({})
const app = Fastify({ logger: false, ...limitOptions(config.REQUEST_TIMEOUT, config.IDLE_TIMEOUT) })
for (let hook = 0; hook < ON_REQUEST; hook++) app.addHook('onRequest', (_request, _reply, done) => done())
for (let hook = 0; hook < ON_RESPONSE; hook++) app.addHook('onResponse', (_request, _reply, done) => done())
for (let hook = 0; hook < ON_SEND; hook++) app.addHook('onSend', (_request, _reply, payload, done) => done(null, payload))

serveConstantBodies(app, headers)

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`)
