import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatWithOptions } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Keeps the README true: every ```ts snippet is typechecked against src, run, and what it prints is
// compared with its `// =>` comments.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Under test-results/ (git-ignored) and inside this package, so that the snippets are ES modules.
const outDir = join(root, `test-results/readme-${process.pid}`);

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
  // The relative path keeps the file importable both by tsc (NodeNext wants an extension) and by vite.
  const source = code.replaceAll("from '@pytake/notify-core'", `from '../../src/index.js'`);
  writeFileSync(file, `${source}\nexport {};\n`);
  return file;
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** What the snippet says it prints: the text after each `// =>`, in order. */
const expectedOutput = (code: string) => [...code.matchAll(/\/\/ => ?(.*)$/gm)].map((m) => m[1]!.trimEnd());

describe('README.md', () => {
  it('has a snippet in every task section', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set([
        'Validate an event',
        'Route events to organizations',
        'Retry and rate limits',
        'Handle errors',
        'Metrics',
      ]),
    );
    expect(readme).toContain('\n## API\n');
  });

  it('typechecks every snippet against the real API', () => {
    const base = ts.readConfigFile(join(root, '../../tsconfig.base.json'), ts.sys.readFile).config;
    const { options } = ts.convertCompilerOptionsFromJson(base.compilerOptions, root);
    const program = ts.createProgram(files, { ...options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${d.file.fileName.slice(root.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  }, 120_000); // a whole-program typecheck: seconds, more on a busy machine

  snippets.forEach(({ section, code }, i) => {
    it(`runs the snippet of "${section}" (#${i + 1}) and prints what it says`, async () => {
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(...formatWithOptions({ breakLength: Number.POSITIVE_INFINITY }, ...args).split('\n'));
      });
      try {
        await import(pathToFileURL(files[i]!).href);
      } finally {
        log.mockRestore();
      }
      expect(printed.map((line) => line.trimEnd())).toEqual(expectedOutput(code));
    });
  });
});
