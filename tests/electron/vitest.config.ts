import { defineConfig } from 'vitest/config';

// Runs only where an Electron binary exists (scripts/test.mjs decides and says so when it does not).
export default defineConfig({
  test: {
    include: ['tests/electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
