import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const templatesPackage = fileURLToPath(new URL('../../../../packages/templates', import.meta.url));
const demoTsconfig = fileURLToPath(new URL('../../tsconfig.demo.json', import.meta.url));

export interface TemplatesCopy {
  /** The copy of packages/templates/src, for the live templates' `root`. */
  root: string;
  /** A tsconfig for the copy: the demo's (JSX, `@pytake/*` to source) with the copy included. */
  tsconfig: string;
  /** Replaces `search` in a file of the copy (path relative to `root`); throws if it is not there. */
  edit(file: string, search: string | RegExp, replacement: string): void;
  remove(): void;
}

/**
 * A temporary copy of the templates' source, for tests that edit templates: never the real files.
 * Beside it: the package's `package.json` (ES modules) and a link to its node_modules, so that the
 * copy imports React Email exactly as the package does.
 */
export function copyTemplates(): TemplatesCopy {
  const dir = mkdtempSync(join(tmpdir(), 'pytake-live-templates-'));
  const root = join(dir, 'src');
  cpSync(join(templatesPackage, 'src'), root, { recursive: true });
  cpSync(join(templatesPackage, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(templatesPackage, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(tsconfig, JSON.stringify({ extends: demoTsconfig, include: ['src'] }));
  return {
    root,
    tsconfig,
    edit(file, search, replacement) {
      const path = join(root, file);
      const before = readFileSync(path, 'utf8');
      const after = before.replace(search, replacement);
      if (after === before) throw new Error(`${file} has no ${String(search)} to replace`);
      writeFileSync(path, after);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
