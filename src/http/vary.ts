import type { FastifyReply } from 'fastify'

/** Adds a request header to Vary, keeping those already named (Origin, Accept, Accept-Encoding). */
export function addVary(reply: FastifyReply, header: string): void {
  const current = reply.getHeader('vary')
  const names = current === undefined ? [] : String(current).split(/\s*,\s*/)
  if (!names.some((name) => name.toLowerCase() === header.toLowerCase())) reply.header('vary', [...names, header].join(', '))
}
