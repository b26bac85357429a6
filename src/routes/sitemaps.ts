import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CatalogueState, CatalogueStore } from '../catalogue/store.js'
import type { Config } from '../config.js'
import { xmlDocument, xmlText } from '../formats/xml.js'
import { datestamp } from '../oai/dates.js'
import { publicUrl } from './public-url.js'
import { decimal } from './schemas.js'

export interface SitemapRoutesOptions {
  readonly store: CatalogueStore
  readonly config: Config
}

const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9'
/** The most URLs the sitemap protocol allows in one sitemap. */
const URLS_PER_SITEMAP = 50_000
const XML = 'application/xml; charset=utf-8'

const sitemapParams = z.object({ number: decimal(1).describe('The sitemap’s number, from 1') })

/** A sitemap index of the works' landing pages, sitemaps of them, and robots.txt pointing to the index. */
export const sitemapRoutes: FastifyPluginAsyncZod<SitemapRoutesOptions> = async (app, { store, config }) => {
  const sitemapCount = (state: CatalogueState) => Math.max(1, Math.ceil(state.works / URLS_PER_SITEMAP))

  app.get('/sitemap.xml', { schema: { tags: ['harvesting'], summary: 'Sitemap index of the landing pages' } }, async (request, reply) => {
    const base = publicUrl(config.PUBLIC_URL, request)
    const state = await store.state()
    reply.lastModified = state.modified
    const lastmod = datestamp(state.modified)
    const document = xmlDocument()
    const index = document.ele(SITEMAP_NAMESPACE, 'sitemapindex')
    for (let number = 1; number <= sitemapCount(state); number++) {
      index.ele('sitemap').ele('loc').txt(`${base}/sitemap-${number}.xml`).up().ele('lastmod').txt(lastmod)
    }
    return reply.type(XML).send(xmlText(document))
  })

  app.get(
    '/sitemap-:number.xml',
    {
      schema: {
        tags: ['harvesting'],
        summary: `Sitemap of up to ${URLS_PER_SITEMAP} landing pages`,
        params: sitemapParams,
        response: { 200: { description: 'The sitemap', content: { 'application/xml': { schema: z.string() } } } },
      },
    },
    async (request, reply) => {
      const { number } = request.params
      const state = await store.state()
      if (number > sitemapCount(state)) return reply.callNotFound()
      reply.lastModified = state.modified
      const base = publicUrl(config.PUBLIC_URL, request)
      const { works } = await store.list({ query: {}, rows: URLS_PER_SITEMAP, offset: (number - 1) * URLS_PER_SITEMAP })
      const document = xmlDocument()
      const urlset = document.ele(SITEMAP_NAMESPACE, 'urlset')
      for (const work of works) {
        urlset
          .ele('url')
          .ele('loc')
          .txt(`${base}/works/${encodeURIComponent(work.id)}`)
          .up()
          .ele('lastmod')
          .txt(datestamp(work.modified))
      }
      return reply.type(XML).send(xmlText(document))
    },
  )

  app.get('/robots.txt', { schema: { tags: ['harvesting'], summary: 'robots.txt naming the sitemap index' } }, async (request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(`User-agent: *\nAllow: /\nSitemap: ${publicUrl(config.PUBLIC_URL, request)}/sitemap.xml\n`),
  )
}
