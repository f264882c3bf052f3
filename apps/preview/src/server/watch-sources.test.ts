import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchSources, watchSourcesDefaults } from './watch-sources.js';

let root: string;
let stop: (() => void) | undefined;
let calls = 0;
const start = () => {
  stop = watchSources(root, () => calls++, { debounceMs: 20 });
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pytake-watch-'));
  mkdirSync(join(root, 'i18n'));
  writeFileSync(join(root, 'i18n/en.ts'), 'export const a = 1;\n');
  calls = 0;
});
afterEach(() => {
  stop?.();
  rmSync(root, { recursive: true, force: true });
});

describe('watchSources()', () => {
  it('sees a save that replaces the file (write a new one, rename it over), and the edits after it', async () => {
    start();
    // How vim, JetBrains' safe write and `sed -i` save: the file gets a new inode.
    writeFileSync(join(root, 'i18n/.en.ts.swp'), 'export const a = 2;\n');
    renameSync(join(root, 'i18n/.en.ts.swp'), join(root, 'i18n/en.ts'));
    await expect.poll(() => calls).toBe(1);
    // Written in place, into the new inode.
    writeFileSync(join(root, 'i18n/en.ts'), 'export const a = 3;\n');
    await expect.poll(() => calls).toBe(2);
    writeFileSync(join(root, 'i18n/en.ts'), 'export const a = 4;\n');
    await expect.poll(() => calls).toBe(3);
  });

  it('watches a folder made after it started', async () => {
    start();
    mkdirSync(join(root, 'react'));
    writeFileSync(join(root, 'react/button.tsx'), 'export const b = 1;\n');
    await expect.poll(() => calls).toBeGreaterThanOrEqual(1);
    const before = calls;
    writeFileSync(join(root, 'react/button.tsx'), 'export const b = 2;\n');
    await expect.poll(() => calls).toBe(before + 1);
  });

  it('counts source files only: not tests, not editors\u2019 temporary files', () => {
    const { filter } = watchSourcesDefaults;
    expect(['en.ts', 'alert-email.tsx', 'messages.json', 'email.css'].map(filter)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['en.test.ts', 'alert.test.tsx', '.en.ts.swp', 'en.ts~', '4913', 'sedAbC123'].map(filter)).toEqual(
      [false, false, false, false, false, false],
    );
  });
});
