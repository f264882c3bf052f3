import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Builds the front end once so the e2e test drives the same assets `pnpm demo` serves.
    globalSetup: ['./src/testing/build-web.ts'],
    // The JSON report is what .ci/run sums into its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // Ceilings, not expectations: CI runs on 2 cores that other work may be using, where a cold
    // Chromium start and a page's first render take many times what they take on a quiet machine.
    testTimeout: 300_000,
    hookTimeout: 180_000,
    // expect.poll's own default (1 s) is a speed assertion in disguise.
    expect: { poll: { timeout: 30_000, interval: 50 } },
  },
});
