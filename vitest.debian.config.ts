import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The servers and commands the tests start run the sources compiled once per run.
    globalSetup: ['test/fixtures/compiled-sources.ts'],
    include: ['test/debian/**/*.test.ts'],
    testTimeout: 30_000,
  },
})
