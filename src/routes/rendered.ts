import type { FastifyReply } from 'fastify'
import type { Readable } from 'node:stream'
import type { CatalogueStore, StoredWork } from '../catalogue/store.js'
import type { Rendered } from '../citations/render.js'
import { HttpProblem } from '../http/problem.js'

/** The routes below a work's own. */
const WORK_SUBROUTES = ['citation', 'widget'] as const

/** The work with this id or DOI; a 404 problem if there is none. */
export async function findWork(store: CatalogueStore, id: string): Promise<StoredWork> {
  const work = await store.find(id)
  if (!work) {
    // "/works/{id}/citations" reaches here as the id "{id}/citations": a mistyped route, not a missing work.
    const slash = id.lastIndexOf('/')
    if (slash > 0 && (await store.find(id.slice(0, slash)))) {
      const routes = WORK_SUBROUTES.map((route) => `/works/{id}/${route}`).join(', ')
      throw new HttpProblem(
        'not-found',
        `There is no route /works/{id}/${id.slice(slash + 1)}; the routes of a work are /works/{id}, ${routes}.`,
      )
    }
    throw new HttpProblem('not-found', `No work has the id or DOI "${id}".`)
  }
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

/** Sends an export as it is rendered: a download, chunked, with no ETag (its body is not known in advance). */
export function sendExport(reply: FastifyReply, file: Readable, contentType: string, fileName: string): FastifyReply {
  return reply.type(contentType).header('content-disposition', `attachment; filename="${fileName}"`).send(file)
}
