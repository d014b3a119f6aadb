import { defineConfig } from 'vitest/config'

// The browser tests: one real jutad (simulator mode, real PostgreSQL) and
// Debian's Chromium, run serially.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    sequence: { concurrent: false },
    pool: 'forks',
  },
})
