import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { RenderPoolStats } from './formats/csl/render-pool.js'

/** The route label of requests that matched no route, so arbitrary URLs never become label values. */
export const UNMATCHED_ROUTE = 'unmatched'

export type ReloadResult = 'success' | 'failure'

export interface RequestObservation {
  /** The route pattern (`/works/:id`), never the raw URL; `UNMATCHED_ROUTE` for unknown routes. */
  readonly route: string
  readonly method: string
  readonly status: number
  readonly seconds: number
}

/**
 * Every metric the service exposes at /metrics, in its own registry, and the only way to change them.
 * Other parts of the service call these methods; they never touch prom-client themselves:
 *
 * - `observeRequest` — every answered request (the request-metrics plugin calls it);
 * - `catalogueLoaded` — after a catalogue was loaded, at startup or by a reload;
 * - `catalogueReloaded` — after each reload attempt, with its result;
 * - `renderCacheHit` / `renderCacheMiss` — on each lookup of a rendered citation in a cache;
 * - `watchRenderPool` — once, with the CSL render workers' counts, read at each scrape.
 */
export class Metrics {
  readonly registry = new Registry()

  readonly #requests = new Counter({
    name: 'citeserve_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  })

  readonly #requestDuration = new Histogram({
    name: 'citeserve_http_request_duration_seconds',
    help: 'Time from receiving a request to sending the last byte of its answer, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  })

  readonly #catalogueWorks = new Gauge({
    name: 'citeserve_catalogue_works',
    help: 'Works in the catalogue being served',
    registers: [this.registry],
  })

  readonly #catalogueLoadSeconds = new Gauge({
    name: 'citeserve_catalogue_load_duration_seconds',
    help: 'Time the last successful catalogue load took: read, parse, validate and index',
    registers: [this.registry],
  })

  readonly #catalogueLoadedAt = new Gauge({
    name: 'citeserve_catalogue_loaded_timestamp_seconds',
    help: 'Unix time of the last successful catalogue load',
    registers: [this.registry],
  })

  readonly #reloads = new Counter({
    name: 'citeserve_catalogue_reloads_total',
    help: 'Catalogue reload attempts after startup, by result (success or failure)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  })

  readonly #cacheHits = new Counter({
    name: 'citeserve_render_cache_hits_total',
    help: 'Rendered citations served from the render cache',
    registers: [this.registry],
  })

  readonly #cacheMisses = new Counter({
    name: 'citeserve_render_cache_misses_total',
    help: 'Rendered citations not found in the render cache, so rendered anew',
    registers: [this.registry],
  })

  #renderPool: () => RenderPoolStats = () => ({ workers: 0, jobs: 0, crashes: 0, queued: 0 })

  // The render workers keep their own counts; these read them when /metrics is scraped.
  readonly #renderWorkers: Gauge = new Gauge({
    name: 'citeserve_render_workers',
    help: 'CSL render worker threads running',
    registers: [this.registry],
    collect: (): void => this.#renderWorkers.set(this.#renderPool().workers),
  })

  readonly #renderQueued: Gauge = new Gauge({
    name: 'citeserve_render_jobs_queued',
    help: 'Bibliographies and citations waiting for a CSL render worker',
    registers: [this.registry],
    collect: (): void => this.#renderQueued.set(this.#renderPool().queued),
  })

  readonly #renderJobs: Counter = new Counter({
    name: 'citeserve_render_jobs_total',
    help: 'Bibliographies and citations sent to the CSL render workers (renders the render cache did not have)',
    registers: [this.registry],
    collect: (): void => this.#setCounter(this.#renderJobs, this.#renderPool().jobs),
  })

  readonly #renderCrashes: Counter = new Counter({
    name: 'citeserve_render_worker_crashes_total',
    help: 'CSL render workers that stopped without being asked to (each was replaced)',
    registers: [this.registry],
    collect: (): void => this.#setCounter(this.#renderCrashes, this.#renderPool().crashes),
  })

  constructor() {
    // Both results are exported from the start, so that a rate() over them is defined before the first reload.
    for (const result of ['success', 'failure'] as const) this.#reloads.labels({ result }).inc(0)
    // Node's own process metrics (CPU, memory, heap, event loop lag, GC, handles), under their usual names.
    collectDefaultMetrics({ register: this.registry })
  }

  observeRequest({ route, method, status, seconds }: RequestObservation): void {
    const labels = { route, method, status: String(status) }
    this.#requests.inc(labels)
    this.#requestDuration.observe(labels, seconds)
  }

  catalogueLoaded(works: number, seconds: number): void {
    this.#catalogueWorks.set(works)
    this.#catalogueLoadSeconds.set(seconds)
    this.#catalogueLoadedAt.setToCurrentTime()
  }

  catalogueReloaded(result: ReloadResult): void {
    this.#reloads.inc({ result })
  }

  renderCacheHit(): void {
    this.#cacheHits.inc()
  }

  renderCacheMiss(): void {
    this.#cacheMisses.inc()
  }

  watchRenderPool(counts: () => RenderPoolStats): void {
    this.#renderPool = counts
  }

  /** A counter kept elsewhere (only ever growing), copied in at a scrape. */
  #setCounter(counter: Counter, value: number): void {
    counter.reset()
    counter.inc(value)
  }

  /** The Prometheus text exposition format, with its media type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }
}
