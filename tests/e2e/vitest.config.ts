import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// End-to-end suites: the built renderer in the system Chromium. One file at a time in one process
// (one renderer build, one browser at a time), generous timeouts for the build and Argon2id unlocks.
export default defineConfig({
  root: resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    // Every temp folder of the run in one, removed at the end.
    globalSetup: ['tests/helpers/run-temp.ts'],
    reporters: ['default'],
  },
});
