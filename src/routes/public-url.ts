import type { FastifyRequest } from 'fastify'

/**
 * The base of absolute URLs: PUBLIC_URL when set, else the request's own scheme and host, which
 * Fastify takes from X-Forwarded-Proto and -Host only when TRUST_PROXY trusts the proxy.
 */
export function publicUrl(configured: string | undefined, request: FastifyRequest): string {
  return configured ?? `${request.protocol}://${request.host}`
}
