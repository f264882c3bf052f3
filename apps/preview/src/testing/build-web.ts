import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** vitest globalSetup: builds the UI once, so the e2e test drives what `pnpm demo` serves. */
export default async function buildWeb() {
  await build({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
}
