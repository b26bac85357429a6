import { describe, expect, it } from 'vitest'
import { testApp } from './fixtures/app.js'
import { Metrics } from '../src/metrics.js'
import { seed } from './fixtures/works.js'

interface Sample {
  readonly name: string
  readonly labels: Record<string, string>
  readonly value: number
}

// The Prometheus text exposition format 0.0.4: comment lines, or `name{label="value",…} number`, the
// number as Go's ParseFloat reads it (so NaN and Inf in any case: prom-client writes "Nan").
const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|nan|[+-]inf)$/i
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('# HELP ') && !line.startsWith('# TYPE '))
    .map((line) => {
      const match = SAMPLE_LINE.exec(line)
      if (!match) throw new Error(`not a sample line: ${line}`)
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map(([, name, value]) => [name, value]))
      return { name: match[1] as string, labels, value: Number(match[3]) }
    })
}

function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    ?.value
}

async function scrape(app: Awaited<ReturnType<typeof testApp>>): Promise<Sample[]> {
  const response = await app.inject('/metrics')
  expect(response.statusCode).toBe(200)
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
  return parseExposition(response.body)
}

describe('/metrics', () => {
  it('counts and times requests by route pattern, method and status, never by raw URL', async () => {
    const app = await testApp({ items: [seed] })
    await app.inject('/works/interleukin-2-in-cancer-2005')
    await app.inject('/works/no-such-work-1')
    await app.inject('/works/no-such-work-2')
    await app.inject('/no/such/route/12345')
    await app.inject('/works/%E0%A4%A')
    await app.inject({ method: 'HEAD', url: '/works' })
    const samples = await scrape(app)

    const requests = (route: string, method: string, status: string) =>
      valueOf(samples, 'citeserve_http_requests_total', { route, method, status })
    expect(requests('/works/:id', 'GET', '200')).toBe(1)
    expect(requests('/works/:id', 'GET', '404')).toBe(2)
    expect(requests('unmatched', 'GET', '404')).toBe(1)
    expect(requests('unmatched', 'GET', '400')).toBe(1)
    expect(requests('/works', 'HEAD', '200')).toBe(1)
    const routes = new Set(samples.flatMap((sample) => (sample.labels.route === undefined ? [] : [sample.labels.route])))
    expect([...routes].sort()).toEqual(['/works', '/works/:id', 'unmatched'])

    const histogram = { route: '/works/:id', method: 'GET', status: '404' }
    expect(valueOf(samples, 'citeserve_http_request_duration_seconds_count', histogram)).toBe(2)
    expect(valueOf(samples, 'citeserve_http_request_duration_seconds_bucket', { ...histogram, le: '+Inf' })).toBe(2)
    expect(valueOf(samples, 'citeserve_http_request_duration_seconds_sum', histogram)).toBeGreaterThan(0)
    await app.close()
  })

  it('exposes the catalogue, reload and render cache figures it is given', async () => {
    const metrics = new Metrics()
    const app = await testApp({ items: [seed], metrics })
    const before = await scrape(app)
    expect(valueOf(before, 'citeserve_catalogue_reloads_total', { result: 'success' })).toBe(0)
    expect(valueOf(before, 'citeserve_catalogue_reloads_total', { result: 'failure' })).toBe(0)
    expect(valueOf(before, 'citeserve_render_cache_hits_total')).toBe(0)

    metrics.catalogueLoaded(1, 0.25)
    metrics.catalogueReloaded('failure')
    metrics.renderCacheHit()
    metrics.renderCacheHit()
    metrics.renderCacheMiss()
    const after = await scrape(app)
    expect(valueOf(after, 'citeserve_catalogue_works')).toBe(1)
    expect(valueOf(after, 'citeserve_catalogue_load_duration_seconds')).toBe(0.25)
    expect(valueOf(after, 'citeserve_catalogue_loaded_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60)
    expect(valueOf(after, 'citeserve_catalogue_reloads_total', { result: 'failure' })).toBe(1)
    expect(valueOf(after, 'citeserve_catalogue_reloads_total', { result: 'success' })).toBe(0)
    expect(valueOf(after, 'citeserve_render_cache_hits_total')).toBe(2)
    expect(valueOf(after, 'citeserve_render_cache_misses_total')).toBe(1)
    await app.close()
  })

  it('exposes the render workers’ counts at each scrape', async () => {
    const app = await testApp({ items: [seed] })
    // The test files share their render workers, so the counts are compared with the scrape before.
    const before = await scrape(app)
    for (const style of ['apa', 'vancouver']) {
      const response = await app.inject(`/works/${seed.id}/citation?format=bibliography&style=${style}`)
      expect(response.statusCode).toBe(200)
    }
    // The same request again comes from the render cache and sends no job.
    await app.inject(`/works/${seed.id}/citation?format=bibliography&style=apa`)
    const after = await scrape(app)
    const counted = (name: string) => (valueOf(after, name) ?? Number.NaN) - (valueOf(before, name) ?? Number.NaN)
    expect(counted('citeserve_render_jobs_total')).toBe(2)
    expect(valueOf(after, 'citeserve_render_workers')).toBeGreaterThanOrEqual(1)
    expect(counted('citeserve_render_worker_crashes_total')).toBe(0)
    await app.close()
  })

  it('includes Node’s process metrics', async () => {
    const app = await testApp({ items: [seed] })
    const samples = await scrape(app)
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(valueOf(samples, name), name).toBeGreaterThanOrEqual(0)
    }
    expect(valueOf(samples, 'nodejs_version_info', { version: process.version })).toBe(1)
    await app.close()
  })
})
