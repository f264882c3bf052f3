import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    // The JSON report is what .ci/run sums into its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // A ceiling, not a target: CI's two cores may be busy with other suites, where a property test
    // or a React render takes many times what it takes on a quiet machine.
    testTimeout: 300_000,
    // Hooks too (vitest's default is 10 s): a self-signed certificate or a server's start-up in a
    // beforeAll took longer than that at a load average of 25.
    hookTimeout: 300_000,
  },
});
