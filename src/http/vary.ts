import type { FastifyReply } from 'fastify'
import vary from 'vary'

/**
 * Adds a request header to Vary, keeping those already named (Origin, Accept, Accept-Encoding).
 * Through `vary.append` on the reply's header: `vary(reply.raw, …)` would set it on Node's response,
 * where the reply's own Vary, written later, would replace it.
 */
export function addVary(reply: FastifyReply, header: string): void {
  const current = reply.getHeader('vary')
  reply.header('vary', vary.append(current === undefined ? '' : String(current), header))
}
