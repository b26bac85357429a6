/**
 * The route config of the operational routes (health probes and metrics). Orchestrators and
 * Prometheus call them every few seconds on every replica: that traffic is left out of the request
 * log (`quietLog`, read by plugins/request-log.ts) and must never be rate limited (`rateLimit: false`,
 * the per-route switch @fastify/rate-limit reads), or a busy client could make a replica look dead.
 */
export const operationalRouteConfig = { quietLog: true, rateLimit: false } as const
