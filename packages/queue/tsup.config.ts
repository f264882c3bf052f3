import { defineConfig } from 'tsup';

export default defineConfig({
  // `metrics` is its own entry so that prom-client is loaded only by `@pytake/notify-queue/metrics`.
  entry: ['src/index.ts', 'src/metrics.ts'],
  format: ['esm', 'cjs'],
  // TS 6 deprecates options that tsup's d.ts build still sets.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  // The Redis scripts are .lua files beside their TypeScript; they are bundled in as strings.
  loader: { '.lua': 'text' },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
