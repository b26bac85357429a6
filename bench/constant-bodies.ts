import type { FastifyInstance } from 'fastify'

/** Answers GET /bytes/N with a constant string of N bytes, built once per length, and these headers. */
export function serveConstantBodies(app: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  const bodies = new Map<number, string>()
  app.get<{ Params: { bytes: string } }>('/bytes/:bytes', async (request, reply) => {
    const bytes = Number(request.params.bytes)
    let body = bodies.get(bytes)
    if (body === undefined) {
      body = 'x'.repeat(bytes)
      bodies.set(bytes, body)
    }
    return reply.headers(headers).send(body)
  })
}
