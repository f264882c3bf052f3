import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatWithOptions } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../test/smtp-test-server.js';

// Keeps the README true: every ```ts snippet is typechecked against src, run against a local SMTP
// server, and what it prints is compared with its `// =>` comments (the same harness as core's).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Under test-results/ (git-ignored) and inside this package, so the snippets are ES modules that resolve
// its dependencies; per process, so that two runs side by side do not delete each other's files.
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
  const source = code.replaceAll("from '@pytake/notify-email'", `from '../../src/index.js'`);
  writeFileSync(file, `${source}\nexport {};\n`);
  return file;
});

let server: TestServer;
const savedEnv = { ...process.env };
beforeAll(async () => {
  server = await startTestServer();
  for (const key of Object.keys(process.env)) if (/^(SMTP_|EMAIL_)/.test(key)) delete process.env[key];
  Object.assign(process.env, {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(server.port),
    SMTP_USE_TLS: 'false',
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await server?.close();
  rmSync(outDir, { recursive: true, force: true });
});

const expectedOutput = (code: string) => [...code.matchAll(/\/\/ => ?(.*)$/gm)].map((m) => m[1]!.trimEnd());

describe('README.md', () => {
  it('has a snippet in every task section and an API section', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set([
        'Configure from the environment',
        'Send an alert email',
        'Send a batch',
        'Check the connection',
        'Thread the emails of one alert',
        'Retry and rate limits',
        'Handle errors',
        'Use it with the notifier',
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
  }, 120_000);

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

  it('delivered what the snippets sent to the local server', () => {
    expect(server.received.length).toBeGreaterThanOrEqual(8);
  });
});
