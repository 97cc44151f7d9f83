import { defineConfig } from 'vitest/config';

// Unit, integration and conformance suites run in Node on the real SQLCipher driver and node:crypto.
// End-to-end suites have their own config (tests/e2e/vitest.config.ts): they need a built renderer.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx', 'tests/integration/**/*.test.ts', 'tests/conformance/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Child-process tests run rwctl from a bundle built once here (tests/helpers/rwctl-child.ts).
    // Then every temp folder of the run in one, removed at the end (tests/helpers/run-temp.ts).
    globalSetup: ['tests/helpers/global-setup.ts', 'tests/helpers/run-temp.ts'],
    reporters: ['default'],
  },
});
