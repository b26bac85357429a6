import vary from 'vary'

/** What adding to Vary needs of a reply (a Fastify reply has both), so that this module needs no Fastify. */
export interface VariedReply {
  getHeader(name: string): unknown
  header(name: string, value: string): unknown
}

/**
 * Adds a request header to Vary, keeping those already named (Origin, Accept, Accept-Encoding).
 * Through `vary.append` on the reply's header: `vary(reply.raw, …)` would set it on Node's response,
 * where the reply's own Vary, written later, would replace it.
 */
export function addVary(reply: VariedReply, header: string): void {
  const current = reply.getHeader('vary')
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a header's value is a string, a number or a list of strings
  reply.header('vary', vary.append(current === undefined ? '' : String(current), header))
}
