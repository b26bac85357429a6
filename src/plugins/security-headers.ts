import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

/**
 * helmet's headers, adjusted for an API that pages on other sites read and that has a docs page:
 * - its default Content-Security-Policy allows what the swagger-ui page at /docs needs (scripts from
 *   'self', inline styles), but not `upgrade-insecure-requests`, which would break /docs when the
 *   service is reached over plain HTTP (as `npm start` and the container serve it);
 * - Cross-Origin-Resource-Policy is `cross-origin`, so other sites may embed responses;
 * - no Strict-Transport-Security: TLS is the business of the proxy in front, which knows the domain.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    strictTransportSecurity: false,
  })
}
