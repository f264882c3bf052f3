import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, type RunResult, runOk } from './run.js';

const require = createRequire(import.meta.url);
/** The programs a service would write, in each module system (copied into every consumer project). */
export const programsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../consumer');

/**
 * What a consumer of `@pytake/notify-templates/react` installs beside our packages: the optional
 * peers of that subpath (React and the React Email components, the templates README's install
 * line), prom-client (the optional peer of the `/metrics` subpaths) and, for TypeScript, the types.
 */
export const consumerExtras = [
  ...templatesReactPeers(),
  'prom-client@^15.1.0',
  `typescript@${(require('typescript/package.json') as { version: string }).version}`,
  '@types/node@^20.19',
  '@types/react@^19',
];

/** The optional peers of `@pytake/notify-templates` (needed by `/react`), with their declared ranges. */
export function templatesReactPeers(): string[] {
  const manifest = JSON.parse(
    readFileSync(resolve(programsDir, '../../../packages/templates/package.json'), 'utf8'),
  ) as { peerDependencies: Record<string, string> };
  return Object.entries(manifest.peerDependencies).map(([name, range]) => `${name}@${range}`);
}

/**
 * A fresh project holding the consumer programs plus, for every import specifier of ours, a file
 * per module system that imports it: `subpaths.mjs` (import), `subpaths.cjs` (require), and
 * `subpaths.mts`/`subpaths.cts` for the type checker. The first two print how many names each
 * specifier exports, how many a subpath shares with its package root, and which of those are
 * copies rather than the root's own objects (a subpath bundled apart from the root would hold its
 * own `ValidationError`, and `instanceof` would fail between the two).
 */
export function writeConsumerProject(dir: string, specifiers: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'pytake-consumer', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  for (const file of readdirSync(programsDir)) copyFileSync(join(programsDir, file), join(dir, file));
  const list = JSON.stringify(specifiers);
  const compare = (load: string) =>
    `const counts = {};\nlet shared = 0;\nconst copies = [];\nfor (const specifier of ${list}) {\n  const m = ${load};\n  const names = Object.keys(m).filter((k) => k !== 'default');\n  counts[specifier] = names.length;\n  const root = specifier.split('/').slice(0, 2).join('/');\n  if (root === specifier) continue;\n  const r = ${load.replaceAll('specifier', 'root')};\n  for (const name of names.filter((n) => n in r)) {\n    shared++;\n    if (r[name] !== m[name]) copies.push(specifier + ' ' + name);\n  }\n}\nconsole.log(JSON.stringify({ counts, shared, copies }));\n`;
  writeFileSync(join(dir, 'subpaths.mjs'), compare('await import(specifier)'));
  writeFileSync(join(dir, 'subpaths.cjs'), compare('require(specifier)'));
  const imports = specifiers.map((s, i) => `import * as m${i} from '${s}';`).join('\n');
  const names = specifiers.map((_, i) => `m${i}`).join(', ');
  const typed = `${imports}\nexport const modules: object[] = [${names}];\n`;
  writeFileSync(join(dir, 'subpaths.mts'), typed);
  writeFileSync(join(dir, 'subpaths.cts'), typed);
}

/** One `npm install` of everything, with npm's own cache (shared between runs), as a user would run it. */
export function npmInstall(
  dir: string,
  specs: readonly string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
  // Tarballs never change under one name in npm's cache, so it may skip asking the registry.
  extraFlags: readonly string[] = ['--prefer-offline'],
): Promise<RunResult> {
  return runOk('npm', ['install', '--no-audit', '--no-fund', ...extraFlags, ...specs], {
    cwd: dir,
    env,
    timeoutMs: 480_000,
  });
}

/** npm's warnings that are about our packages or that a user of ours would blame on us. */
export function ourInstallWarnings(output: string): string[] {
  return output
    .split('\n')
    .filter(
      (line) =>
        /EBADENGINE/.test(line) ||
        (/warn/i.test(line) && /ERESOLVE|peer/i.test(line)) ||
        (/warn/i.test(line) && /@pytake\//.test(line)),
    );
}
