import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The JSON report is what .ci/run sums into its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // Ceilings for a loaded machine, not targets: the soak takes well under a minute when quiet.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // The soak and the property files each want the CPU; running them one after the other keeps
    // the soak's timings (Retry-After, backoff) close to what they would be alone.
    fileParallelism: false,
  },
});
