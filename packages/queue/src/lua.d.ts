// The Redis scripts under src/commands are imported as text (tsup's `text` loader, a vite plugin in
// vitest.config.ts, and test/lua-hooks.mjs for worker processes under test).
declare module '*.lua' {
  const source: string;
  export default source;
}
