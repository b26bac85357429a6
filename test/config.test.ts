import { describe, expect, it } from 'vitest'
import { BUNDLED_DATA_FILE, ConfigError, loadConfig } from '../src/config.js'

describe('loadConfig', () => {
  it('needs no variables at all', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3000,
      HOST: 'localhost',
      DATA_FILE: BUNDLED_DATA_FILE,
      LOG_LEVEL: 'info',
      CSL_STYLE_DIRS: ['/usr/share/citation-style-language/styles'],
      CSL_LOCALE_DIRS: ['/usr/share/citation-style-language/locales'],
      CSL_ENGINES: 16,
      RENDER_CACHE_ENTRIES: 10_000,
      WARM_WORKS: 100,
    })
  })

  it('reads every variable, and treats an empty one as unset', () => {
    const env = {
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_FILE: '/data/works.json',
      LOG_LEVEL: 'debug',
      CSL_STYLE_DIRS: '/a:/b',
      CSL_LOCALE_DIRS: '/c',
      CSL_ENGINES: '4',
      RENDER_CACHE_ENTRIES: '10',
      WARM_WORKS: '0',
    }
    expect(loadConfig(env)).toEqual({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATA_FILE: '/data/works.json',
      LOG_LEVEL: 'debug',
      CSL_STYLE_DIRS: ['/a', '/b'],
      CSL_LOCALE_DIRS: ['/c'],
      CSL_ENGINES: 4,
      RENDER_CACHE_ENTRIES: 10,
      WARM_WORKS: 0,
    })
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000)
  })

  it('names the variable, the value and what is allowed', () => {
    expect(() => loadConfig({ PORT: '70000', LOG_LEVEL: 'loud' })).toThrow(ConfigError)
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud' })
    } catch (error) {
      expect((error as Error).message).toContain('PORT="70000": Too big: expected number to be <=65535')
      expect((error as Error).message).toContain(
        'LOG_LEVEL="loud": Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
      )
    }
  })
})
