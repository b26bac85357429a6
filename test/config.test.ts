import { describe, expect, it } from 'vitest'
import { BUNDLED_DATA_FILE, ConfigError, loadConfig } from '../src/config.js'

describe('loadConfig', () => {
  it('needs no variables at all', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_FILE: BUNDLED_DATA_FILE,
      DATA_WATCH_MS: 0,
      LOG_LEVEL: 'info',
      CSL_STYLE_DIRS: ['/usr/share/citation-style-language/styles'],
      CSL_LOCALE_DIRS: ['/usr/share/citation-style-language/locales'],
      CSL_ENGINES: 16,
      CSL_WORKERS: 1,
      CSL_WORKER_TIMEOUT: 60,
      RENDER_CACHE_ENTRIES: 10_000,
      WARM_WORKS: 10,
      SHUTDOWN_GRACE_MS: 8000,
      CACHE_MAX_AGE: 300,
      CORS_ORIGINS: ['*'],
      WIDGET_ORIGINS: ['*'],
      RATE_LIMIT_MAX: 0,
      RATE_LIMIT_WINDOW: 60,
      TRUST_PROXY: false,
      REQUEST_TIMEOUT: 10,
      EXCHANGE_TIMEOUT: 120,
      IDLE_TIMEOUT: 15,
      MAX_EXPORTS: 16,
      MAX_CONNECTIONS: 2000,
      MAX_CLIENT_REQUESTS: 64,
      CSL_QUEUE_LIMIT: 200,
      CSL_BULK_QUEUE_LIMIT: 4,
      OAI_ADMIN_EMAIL: 'webmaster@example.org',
      WRITE_MAX_BYTES: 4_194_304,
      WRITE_MAX_WORKS: 1000,
      WRITE_AUTH_FAILURES: 10,
      DATABASE_POOL_SIZE: 10,
      DATABASE_STATEMENT_TIMEOUT_MS: 5000,
      DATABASE_CONNECT_TIMEOUT_MS: 2000,
      DATABASE_CACHE_ENTRIES: 5000,
      DATABASE_MIGRATE: 'start',
    })
  })

  it('reads every variable, and treats an empty one as unset', () => {
    const env = {
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_FILE: '/data/works.json',
      DATA_WATCH_MS: '500',
      LOG_LEVEL: 'debug',
      CSL_STYLE_DIRS: '/a:/b',
      CSL_LOCALE_DIRS: '/c',
      CSL_ENGINES: '4',
      CSL_WORKERS: '3',
      CSL_WORKER_TIMEOUT: '30',
      RENDER_CACHE_ENTRIES: '10',
      WARM_WORKS: '0',
      LOG_FORMAT: 'pretty',
      SHUTDOWN_GRACE_MS: '25000',
      CACHE_MAX_AGE: '0',
      CORS_ORIGINS: 'https://a.example, http://localhost:8080',
      WIDGET_ORIGINS: 'https://b.example',
      RATE_LIMIT_MAX: '100',
      RATE_LIMIT_WINDOW: '10',
      TRUST_PROXY: '2',
      REQUEST_TIMEOUT: '30',
      EXCHANGE_TIMEOUT: '300',
      IDLE_TIMEOUT: '20',
      MAX_EXPORTS: '4',
      MAX_CONNECTIONS: '500',
      MAX_CLIENT_REQUESTS: '8',
      CSL_QUEUE_LIMIT: '50',
      CSL_BULK_QUEUE_LIMIT: '2',
      PUBLIC_URL: 'https://cite.example.org/',
      OAI_ADMIN_EMAIL: 'oai@cite.example.org',
      WRITE_TOKENS_FILE: '/etc/citeserve/write-tokens',
      WRITE_CORS_ORIGINS: 'https://editor.example',
      WRITE_MAX_BYTES: '65536',
      WRITE_MAX_WORKS: '50',
      WRITE_AUTH_FAILURES: '3',
      DATABASE_URL: 'postgres://citeserve:secret@db.example:5432/catalogue',
      DATABASE_READ_URL: 'postgresql://citeserve@standby.example/catalogue',
      DATABASE_POOL_SIZE: '4',
      DATABASE_STATEMENT_TIMEOUT_MS: '2500',
      DATABASE_CONNECT_TIMEOUT_MS: '500',
      DATABASE_CACHE_ENTRIES: '100',
      DATABASE_MIGRATE: 'never',
    }
    expect(loadConfig(env)).toEqual({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATA_FILE: '/data/works.json',
      DATA_WATCH_MS: 500,
      LOG_LEVEL: 'debug',
      CSL_STYLE_DIRS: ['/a', '/b'],
      CSL_LOCALE_DIRS: ['/c'],
      CSL_ENGINES: 4,
      CSL_WORKERS: 3,
      CSL_WORKER_TIMEOUT: 30,
      RENDER_CACHE_ENTRIES: 10,
      WARM_WORKS: 0,
      LOG_FORMAT: 'pretty',
      SHUTDOWN_GRACE_MS: 25000,
      CACHE_MAX_AGE: 0,
      CORS_ORIGINS: ['https://a.example', 'http://localhost:8080'],
      WIDGET_ORIGINS: ['https://b.example'],
      RATE_LIMIT_MAX: 100,
      RATE_LIMIT_WINDOW: 10,
      TRUST_PROXY: 2,
      REQUEST_TIMEOUT: 30,
      EXCHANGE_TIMEOUT: 300,
      IDLE_TIMEOUT: 20,
      MAX_EXPORTS: 4,
      MAX_CONNECTIONS: 500,
      MAX_CLIENT_REQUESTS: 8,
      CSL_QUEUE_LIMIT: 50,
      CSL_BULK_QUEUE_LIMIT: 2,
      PUBLIC_URL: 'https://cite.example.org',
      OAI_ADMIN_EMAIL: 'oai@cite.example.org',
      WRITE_TOKENS_FILE: '/etc/citeserve/write-tokens',
      WRITE_CORS_ORIGINS: ['https://editor.example'],
      WRITE_MAX_BYTES: 65536,
      WRITE_MAX_WORKS: 50,
      WRITE_AUTH_FAILURES: 3,
      DATABASE_URL: 'postgres://citeserve:secret@db.example:5432/catalogue',
      DATABASE_READ_URL: 'postgresql://citeserve@standby.example/catalogue',
      DATABASE_POOL_SIZE: 4,
      DATABASE_STATEMENT_TIMEOUT_MS: 2500,
      DATABASE_CONNECT_TIMEOUT_MS: 500,
      DATABASE_CACHE_ENTRIES: 100,
      DATABASE_MIGRATE: 'never',
    })
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000)
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true)
  })

  it('refuses an origin with a path, and a proxy setting it cannot read', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/page' })).toThrow(
      'CORS_ORIGINS="https://a.example/page": each origin must be scheme://host[:port], without a path',
    )
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow('TRUST_PROXY="yes": expected true, false or a number of proxies from 1 to 10')
  })

  it('names the variable, the value and what is allowed, for every wrong one', () => {
    const wrong = { PORT: '70000', LOG_LEVEL: 'loud', LOG_FORMAT: 'xml', SHUTDOWN_GRACE_MS: '2.5' }
    expect(() => loadConfig(wrong)).toThrow(ConfigError)
    expect(() => loadConfig(wrong)).toThrow(
      [
        'invalid configuration:',
        '  PORT="70000": Too big: expected number to be <=65535',
        '  LOG_LEVEL="loud": Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
        '  LOG_FORMAT="xml": Invalid option: expected one of "json"|"pretty"',
        '  SHUTDOWN_GRACE_MS="2.5": Invalid input: expected int, received number',
      ].join('\n'),
    )
  })
})
