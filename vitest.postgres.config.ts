import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The servers and commands the tests start run the sources compiled once per run.
    globalSetup: ['test/fixtures/compiled-sources.ts'],
    include: ['test/postgres/**/*.test.ts'],
    // Each file has a database of its own; the ones with clusters of their own take their own ports.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
})
