import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The JSON report is what .ci/run sums into its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // Ceilings for a loaded 2-core machine, not speed expectations: npm install, tsc and a
    // registry round trip are the slowest things in CI.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // The two suites each pack and install; one at a time keeps the machine's 2 cores for each.
    fileParallelism: false,
  },
});
