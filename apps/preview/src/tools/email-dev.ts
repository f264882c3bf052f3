// `pnpm --dir apps/preview email:dev`: the templates of packages/templates/src/react in React Email's
// own preview server (`email dev`, a Next.js app), on http://localhost:3001.
//
// Why not `npx react-email dev` in the templates package: `email dev` runs only with
// `@react-email/ui` of exactly its own version resolvable from the current folder, and offers to
// `pnpm add` it to the package (through corepack, which fails on these machines) otherwise. That
// would make a 470 MB preview server a dependency of a published package. Instead both are
// installed once, with npm, into a cache folder outside the repository, and run from there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * react-email and @react-email/ui must be the same version: 6.11.6 is the newest @react-email/ui
 * (react-email 6.11.13 has none, so its `email dev` can never start).
 */
const version = '6.11.6';
const cache = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'pytake-notify',
  `react-email-${version}`,
);
const templates = fileURLToPath(new URL('../../../../packages/templates/src/react', import.meta.url));
const port = process.env.EMAIL_DEV_PORT ?? '3001';
const bin = join(cache, 'node_modules', '.bin', 'email');

if (!existsSync(join(cache, 'node_modules', '@react-email', 'ui', 'package.json')) || !existsSync(bin)) {
  console.log(`Installing React Email ${version} and its preview server into ${cache} (once, about 470 MB)…`);
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    join(cache, 'package.json'),
    JSON.stringify({ name: 'pytake-react-email-dev', private: true }),
  );
  const npm = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', `react-email@${version}`, `@react-email/ui@${version}`],
    { cwd: cache, stdio: 'inherit' },
  );
  if (npm.status !== 0) {
    console.error(`npm install failed in ${cache}; delete that folder and try again.`);
    process.exit(npm.status ?? 1);
  }
}

// The templates import @pytake/notify-core and -slack from their dist: `pnpm build` first.
const child = spawn(bin, ['dev', '--dir', templates, '--port', port], { cwd: cache, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
