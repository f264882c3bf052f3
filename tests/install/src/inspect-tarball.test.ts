import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectUnpacked } from './inspect-tarball.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function unpacked(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'pytake-inspect-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

describe('inspectUnpacked', () => {
  it('passes a complete package', () => {
    const report = inspectUnpacked(
      unpacked({
        'package.json': JSON.stringify({ name: '@pytake/x', dependencies: { zod: '4.6.7' } }),
        'README.md': '# x',
        'dist/index.js': 'export {};',
        'dist/index.js.map': JSON.stringify({ sources: ['../src/index.ts'], sourcesContent: ['export {};'] }),
      }),
    );
    expect(report.problems).toEqual([]);
    expect(report.files).toEqual(['README.md', 'dist/index.js', 'dist/index.js.map', 'package.json']);
  });

  it('names every way a package is incomplete for a registry user', () => {
    const report = inspectUnpacked(
      unpacked({
        'package.json': JSON.stringify({
          name: '@pytake/x',
          dependencies: { '@pytake/notify-core': 'workspace:^', zod: 'catalog:' },
        }),
        'lib/index.js': 'export {};',
        'lib/index.test.js': '',
        'lib/index.js.map': JSON.stringify({ sources: ['../src/index.ts'] }),
      }),
    );
    expect(report.problems).toEqual([
      'package.json still holds a "workspace:" range',
      'package.json still holds a "catalog:" range',
      'no dist/',
      'no README',
      'lib/index.test.js is a test file',
      'lib/index.js.map points to sources it does not carry: ../src/index.ts',
    ]);
  });
});
