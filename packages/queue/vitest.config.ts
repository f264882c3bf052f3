import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The Redis scripts are .lua files imported as text, as tsup's `text` loader does for the build.
  plugins: [
    {
      name: 'lua-as-text',
      transform(code, id) {
        return id.endsWith('.lua')
          ? { code: `export default ${JSON.stringify(code)};`, map: null }
          : undefined;
      },
    },
  ],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The JSON report is what .ci/run sums into its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // Each suite runs its own redis-server and worker processes; on 2 shared cores, one at a time.
    fileParallelism: false,
  },
});
