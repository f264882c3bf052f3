import { defineConfig, type Options } from 'tsup';

// Two builds because only the CJS one bundles ky; `pnpm build` empties dist first, since tsup's
// `clean` in either build could delete the other's output.
const shared = {
  // `blocks` is its own entry (the `/blocks` subpath) so that building a message loads neither ky nor
  // the channels. Shared chunks in both formats, so that the two entries hold one SlackValidationError;
  // `treeshake` has rollup write the CJS chunks, with source maps that carry their sources.
  entry: { index: 'src/index.ts', blocks: 'src/block-kit.ts' },
  splitting: true,
  treeshake: true,
  sourcemap: true,
  target: 'node20',
  // TS 6 deprecates options that tsup's d.ts build still sets.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
} satisfies Options;

export default defineConfig([
  {
    ...shared,
    format: ['esm'],
  },
  {
    ...shared,
    format: ['cjs'],
    // ky is ESM only. Left external, esbuild's CJS output calls it through
    // `__toESM(require('ky'), 1)`, whose default export is ky's module namespace, and every
    // `ky.post` is undefined. Bundled, the CJS build carries its own copy and works on any Node.
    noExternal: ['ky'],
  },
]);
