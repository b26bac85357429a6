import type { FastifyReply } from 'fastify'
import type { Catalogue, Work } from '../catalogue/catalogue.js'
import type { Rendered } from '../citations/render.js'
import { HttpProblem } from '../http/problem.js'

/** The work with this id or DOI; a 404 problem if there is none. */
export function findWork(catalogue: Catalogue, id: string): Work {
  const work = catalogue.find(id)
  if (!work) throw new HttpProblem('not-found', `No work has the id or DOI "${id}".`)
  return work
}

/** Sends a rendering with its type, its tag (so the caching hook need not digest it) and its file name. */
export function sendRendered(reply: FastifyReply, rendered: Rendered, disposition: 'inline' | 'attachment'): FastifyReply {
  return reply
    .type(rendered.contentType)
    .header('etag', rendered.etag)
    .header('content-disposition', `${disposition}; filename="${rendered.fileName}"`)
    .send(rendered.body)
}
