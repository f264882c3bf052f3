import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('..', import.meta.url));
const packageRoot = join(src, '..');

/** The packages whose output the compiled templates are: an upgrade of one may change the HTML. */
export function renderingPackages(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]
    .filter((name) => name === 'react' || name === 'react-dom' || name.startsWith('@react-email/'))
    .filter((name, i, all) => all.indexOf(name) === i)
    .sort();
  return Object.fromEntries(
    names.map((name) => {
      const file = join(packageRoot, 'node_modules', name, 'package.json');
      return [name, (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version];
    }),
  );
}

// What the compiled HTML is made of: the templates, the view and its words, the compiler and the
// filler. Not the Slack message, the fixtures or the tests, whose changes do not touch the HTML.
const inputFolders = ['', 'react', 'i18n', 'email', 'compile'];
const isInput = (file: string) =>
  /\.tsx?$/.test(file) && !file.includes('.test.') && !file.includes('.generated.');

/**
 * A hash of everything the compiled templates depend on: `pnpm build` compiles again only when it
 * changed, and a test fails when the compiled templates are older than their sources.
 */
export function compileInputsHash(): string {
  const hash = createHash('sha256');
  for (const folder of inputFolders) {
    for (const file of readdirSync(join(src, folder)).filter(isInput).sort()) {
      const path = join(src, folder, file);
      hash.update(`${relative(src, path)}\0${readFileSync(path, 'utf8')}\0`);
    }
  }
  hash.update(JSON.stringify(renderingPackages()));
  return hash.digest('hex').slice(0, 16);
}
