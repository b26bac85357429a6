import { configDefaults, defineConfig } from 'vitest/config'

// The files that replace modules with vi.mock: they need a module graph of their own.
const MOCKING = ['test/formats/csl/style-names.test.ts']

export default defineConfig({
  test: {
    // The servers and commands the tests start run the sources compiled once per run.
    globalSetup: ['test/fixtures/compiled-sources.ts'],
    // The Debian suite needs pandoc, bibutils and the CSL packages (`npm run test:debian`), the
    // PostgreSQL suite a PostgreSQL server (`npm run test:postgres`); the slow suite works on large
    // catalogues (`npm run test:slow`).
    exclude: [...configDefaults.exclude, 'test/debian/**', 'test/postgres/**', 'test/slow/**'],
    // vitest's default on two cores is one file at a time; most files wait on child processes and worker
    // threads, so two at a time keep both cores busy.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        // Most of the CPU of an isolated run went to importing Fastify, citation-js and the styles anew
        // for every file, and to starting a render worker per file: these files share one module graph,
        // and so the test fixtures' render worker, per vitest worker. No file keeps state between files.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
})
