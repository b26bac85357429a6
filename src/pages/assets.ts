import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

// The pages' stylesheet and scripts: files in public/ (found relative to this module, from src/ and
// dist/ alike), read once, and linked by URLs that carry a digest of their content, so that browsers
// may keep them for a year and a new release is fetched at once. Not @fastify/static: it serves
// files under their own names, without a digest in the URL.

const PUBLIC = new URL('../../public/', import.meta.url)

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
}

export interface Asset {
  readonly name: string
  readonly body: Buffer
  readonly contentType: string
  /** A digest of the content, in the asset's URL. */
  readonly version: string
}

function load(name: string): Asset {
  const body = readFileSync(new URL(name, PUBLIC))
  const extension = name.slice(name.lastIndexOf('.') + 1)
  const version = createHash('sha256').update(body).digest('base64url').slice(0, 16)
  return { name, body, contentType: MEDIA_TYPES[extension] ?? 'application/octet-stream', version }
}

/** The files the pages link to, by name. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map(['site.css', 'citation-box.js', 'widget.js'].map((name) => [name, load(name)]))

/** The URL a page links an asset by: /assets/{version}/{name}. */
export function assetUrl(name: 'site.css' | 'citation-box.js'): string {
  const asset = ASSETS.get(name) as Asset
  return `/assets/${asset.version}/${asset.name}`
}
