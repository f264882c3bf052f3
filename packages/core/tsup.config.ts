import { defineConfig } from 'tsup';

export default defineConfig({
  // `metrics` is its own entry so that prom-client is loaded only by `@pytake/notify-core/metrics`;
  // `model` so that a renderer loads the schemas and errors without @opentelemetry/api or the notifier.
  entry: ['src/index.ts', 'src/metrics.ts', 'src/model.ts'],
  format: ['esm', 'cjs'],
  // Shared chunks in the CJS build too (ESM splits by default): without them `model.cjs` and
  // `index.cjs` would each carry their own ValidationError class, and `instanceof` would fail
  // between the two subpaths. `treeshake` has rollup turn the chunks into CJS: tsup's other way
  // (sucrase) writes source maps that name the build's own absolute path as a source.
  splitting: true,
  treeshake: true,
  // TS 6 deprecates options that tsup's d.ts build still sets.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
