import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Debian suite needs pandoc, bibutils and the CSL packages (`npm run test:debian`), the
    // PostgreSQL suite a PostgreSQL server (`npm run test:postgres`); the slow suite works on large
    // catalogues (`npm run test:slow`).
    exclude: ['test/debian/**', 'test/postgres/**', 'test/slow/**', 'node_modules/**'],
    // vitest's default on two cores is one file at a time; most files wait on child processes and worker
    // threads, so two at a time keep both cores busy.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
