// The baseline of `npm run bench`: bare Fastify with nothing else (no logging, validation or hooks),
// answering GET /bytes/N with a constant string of N bytes, built once per length.
import Fastify from 'fastify'

const bodies = new Map<number, string>()
const app = Fastify({ logger: false })
app.get<{ Params: { bytes: string } }>('/bytes/:bytes', async (request, reply) => {
  const bytes = Number(request.params.bytes)
  let body = bodies.get(bytes)
  if (body === undefined) {
    body = 'x'.repeat(bytes)
    bodies.set(bytes, body)
  }
  return reply.type('text/plain; charset=utf-8').send(body)
})

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`)
