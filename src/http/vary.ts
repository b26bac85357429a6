/** What adding to Vary needs of a reply (a Fastify reply has both), so that this module needs no Fastify. */
export interface VariedReply {
  getHeader(name: string): unknown
  header(name: string, value: string): unknown
}

/** Adds a request header to Vary, keeping those already named (Origin, Accept, Accept-Encoding). */
export function addVary(reply: VariedReply, header: string): void {
  const current = reply.getHeader('vary')
  const names = current === undefined ? [] : String(current).split(/\s*,\s*/)
  if (!names.some((name) => name.toLowerCase() === header.toLowerCase())) reply.header('vary', [...names, header].join(', '))
}
