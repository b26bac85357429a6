import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * helmet's headers for HTML documents (the docs page at /docs, the pages and the widget), adjusted:
 * - its default Content-Security-Policy allows what the swagger-ui page at /docs needs (scripts from
 *   'self', inline styles), but not `upgrade-insecure-requests`, which would break /docs when the
 *   service is reached over plain HTTP (as `npm start` and the container serve it); the pages replace
 *   it with their stricter one (`pagePolicy`);
 * - Cross-Origin-Resource-Policy is `cross-origin`, so other sites may embed responses;
 * - no Strict-Transport-Security: TLS is the business of the proxy in front, which knows the domain.
 */
const DOCUMENT_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  strictTransportSecurity: false,
}

/**
 * helmet's headers for everything else: the API's answers (JSON, BibTeX, RIS, problems…), which a
 * browser never renders as a document, as the OWASP REST Security Cheat Sheet advises. The policy lets
 * such an answer load nothing and be framed by nobody, should a browser open one; nosniff keeps it
 * from being read as HTML. The headers that govern only documents (Cross-Origin-Opener-Policy,
 * Origin-Agent-Cluster, Referrer-Policy, X-DNS-Prefetch-Control, X-Download-Options,
 * X-Permitted-Cross-Domain-Policies, X-XSS-Protection) would be bytes on every answer for nothing.
 */
const API_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  originAgentCluster: false,
  referrerPolicy: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
}

/**
 * The headers helmet sets with these options, by lower-case name. They are the same for every
 * response (no nonces, no per-route options), so they are computed once: helmet's middleware runs a
 * single time against a response that only records them. (@fastify/helmet, by contrast, builds helmet
 * anew on every request, parsing the whole policy each time: a quarter of the CPU of a cached request.)
 */
export function securityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  }
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw new Error('helmet could not compute its headers', { cause: error })
  })
  return Object.freeze(headers)
}

export const API_SECURITY_HEADERS = securityHeaders(API_OPTIONS)
export const DOCUMENT_SECURITY_HEADERS = securityHeaders(DOCUMENT_OPTIONS)

/** Sends the API's security headers on every response, errors included; documents replace them with theirs. */
export const securityHeadersPlugin = fp(
  async (app) => {
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(API_SECURITY_HEADERS)
      done()
    })
  },
  { name: 'citeserve-security-headers', fastify: '5.x' },
)

/** Sends the security headers of an HTML document in place of the API's (see `securityHeadersPlugin`). */
export function sendDocumentHeaders(reply: FastifyReply): void {
  reply.headers(DOCUMENT_SECURITY_HEADERS)
}

/**
 * The Content-Security-Policy of the HTML pages, stricter than helmet's: scripts, styles, images and
 * requests from 'self' only and nothing inline (JSON-LD data blocks are not scripts and need no
 * exception), forms only to 'self', and framing only by `frameAncestors`: nobody for the pages, the
 * configured origins for the widget.
 */
function pagePolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    `frame-ancestors ${frameAncestors.length === 0 ? "'none'" : frameAncestors.join(' ')}`,
  ].join('; ')
}

/** Sends the page policy; X-Frame-Options (which cannot name other origins) only where nobody may frame. */
export function sendPagePolicy(reply: FastifyReply, frameAncestors: readonly string[]): void {
  sendDocumentHeaders(reply)
  reply.header('content-security-policy', pagePolicy(frameAncestors))
  if (frameAncestors.length === 0) reply.header('x-frame-options', 'DENY')
  else reply.removeHeader('x-frame-options')
}
