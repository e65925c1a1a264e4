import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Integration specs drive real clients over loopback with timeouts; on a loaded 2-core CI box
    // one retry keeps a slow scheduler from failing the build, while real regressions still fail twice.
    retry: process.env.CI ? 1 : 0,
    reporters: ['default', 'json'],
    outputFile: { json: 'data/test-results.json' },
  },
});
