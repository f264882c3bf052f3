import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report is what .ci/run sums into its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Each suite runs its own redis-server and programs as child processes; on 2 cores, one at a time.
    fileParallelism: false,
  },
});
