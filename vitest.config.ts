import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Debian suite needs pandoc, bibutils and the CSL packages; `npm run test:debian` runs it.
    exclude: ['test/debian/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
