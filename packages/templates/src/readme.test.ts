import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Keeps the README true: every ```ts snippet runs against src, and what it prints is compared with its
// `// =>` comments.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Under test-results/ (git-ignored) and inside this package, so that its dependencies resolve.
const outDir = join(root, 'test-results/readme');

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippets: { section: string; code: string }[] = [];
let section = '';
for (const match of readme.matchAll(/^## (.+)$|^```ts\n([\s\S]*?)^```$/gm)) {
  if (match[1]) section = match[1];
  else snippets.push({ section, code: match[2]! });
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const files = snippets.map(({ code }, i) => {
  const file = join(outDir, `snippet-${i + 1}.ts`);
  const source = code
    .replaceAll("from '@pytake/notify-templates/react'", "from '../../src/react/index.js'")
    .replaceAll("from '@pytake/notify-templates/fixtures'", "from '../../src/fixtures/index.js'")
    .replaceAll("from '@pytake/notify-templates'", "from '../../src/index.js'");
  writeFileSync(file, `${source}\nexport {};\n`);
  return file;
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const expectedOutput = (code: string) => [...code.matchAll(/\/\/ => ?(.*)$/gm)].map((m) => m[1]!.trimEnd());

describe('README.md', () => {
  it('has a snippet in every task section', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set([
        'Render an alert email',
        'Render a Slack message',
        "Use them as the notifier's routes",
        'Preview with the fixtures',
        'Use the React components',
      ]),
    );
    expect(readme).toContain('\n## API\n');
  });

  snippets.forEach(({ section, code }, i) => {
    it(`runs the snippet in "${section}" and prints what it says`, async () => {
      const printed: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(...format(...args).split('\n'));
      });
      try {
        await import(pathToFileURL(files[i]!).href);
      } finally {
        spy.mockRestore();
      }
      expect(printed.map((line) => line.trimEnd())).toEqual(expectedOutput(code));
    });
  });
});
