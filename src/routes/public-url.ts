import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'

/**
 * The base of absolute URLs: PUBLIC_URL when set, else the request's own scheme and host, which
 * Fastify takes from X-Forwarded-Proto and -Host only when TRUST_PROXY trusts the proxy.
 */
export function publicUrl(config: Config, request: FastifyRequest): string {
  return config.PUBLIC_URL ?? `${request.protocol}://${request.host}`
}
