// The baseline of `npm run bench`: bare Fastify with nothing else (no logging, validation or hooks),
// answering GET /bytes/N with a constant string of N bytes, built once per length.
import Fastify from 'fastify'
import { serveConstantBodies } from './constant-bodies.js'

const app = Fastify({ logger: false })
serveConstantBodies(app, { 'content-type': 'text/plain; charset=utf-8' })

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`)
