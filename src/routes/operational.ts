/**
 * The route config of the operational routes (health probes and metrics). Orchestrators and
 * Prometheus call them every few seconds on every replica: that traffic is left out of the request
 * log (`quietLog`, read by plugins/access-log.ts), must never be rate limited (`rateLimit: false`,
 * the per-route switch @fastify/rate-limit reads), or a busy client could make a replica look dead,
 * and must never be answered from a cache (`cache: false`, read by plugins/caching.ts).
 */
export const operationalRouteConfig = { quietLog: true, rateLimit: false, cache: false } as const
