import { defineConfig } from 'tsup';

export default defineConfig({
  // Three entries: the renderers, the React components (./react) and the sample events (./fixtures).
  entry: { index: 'src/index.ts', react: 'src/react/index.ts', fixtures: 'src/fixtures/index.ts' },
  format: ['esm', 'cjs'],
  // TS 6 deprecates options that tsup's d.ts build still sets.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
