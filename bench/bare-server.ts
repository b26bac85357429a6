// The baselines of `npm run bench`, bare Fastify with nothing else (no logging, validation or hooks):
// - GET /bytes/N answers a constant string of N bytes, built once per length;
// - GET /as/NAME answers the response BARE_RESPONSES (JSON) gives under NAME, built once at start: a
//   static copy of one of citeserve's answers, with the same status, headers and body length, so that
//   the client parses exactly as much as it does from citeserve.
import Fastify from 'fastify'

export interface StaticResponse {
  readonly status: number
  readonly headers: Record<string, string>
  readonly bytes: number
}

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

const responses = new Map(
  Object.entries(JSON.parse(process.env.BARE_RESPONSES ?? '{}') as Record<string, StaticResponse>).map(([name, response]) => [
    name,
    { ...response, body: 'x'.repeat(response.bytes) },
  ]),
)
app.get<{ Params: { name: string } }>('/as/:name', async (request, reply) => {
  const response = responses.get(request.params.name)
  if (response === undefined) return reply.code(404).send()
  return reply.code(response.status).headers(response.headers).send(response.body)
})

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`)
