import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // TS 6 deprecates options that tsup's d.ts build still sets.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  // `import.meta.url` in the CJS build too: the handler finds the built UI beside its own file.
  shims: true,
  sourcemap: true,
  target: 'node20',
});
