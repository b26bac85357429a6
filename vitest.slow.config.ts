import { defineConfig } from 'vitest/config'

// Tests at catalogue sizes that take too long for `npm test`: `npm run test:slow`.
export default defineConfig({
  test: {
    include: ['test/slow/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
})
