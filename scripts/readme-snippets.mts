import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatWithOptions } from 'node:util';
import ts from 'typescript';

// Keeps a package README true: its ```ts snippets are written out as files that import the package's
// src, so a test can typecheck them against the real API, run them, and compare what they print with
// their `// =>` comments. Each package's src/readme.test.ts says which sections it expects and asserts.

export interface ReadmeSnippetsOptions {
  /** Absolute path of the package folder (the one holding README.md and tsconfig.json). */
  packageRoot: string;
  /**
   * Package specifiers the snippets import, mapped to the module in the package that stands for each,
   * relative to `packageRoot`: `{ '@pytake/notify-core': 'src/index.js' }`.
   */
  importRewrites: Record<string, string>;
}

export interface ReadmeSnippet {
  /** The `## ` heading the snippet sits under. */
  section: string;
  code: string;
  /** Where the snippet was written, imports rewritten. */
  file: string;
  /** What the snippet says it prints: the text after each `// =>`, in order. */
  expected: string[];
}

export interface ReadmeSnippets {
  readme: string;
  snippets: ReadmeSnippet[];
  /** Typechecks every snippet with the package's tsconfig; one line per diagnostic, empty when clean. */
  typecheck(): string[];
  /** Runs a snippet and returns what it printed with console.log, line by line, without trailing spaces. */
  run(snippet: ReadmeSnippet): Promise<string[]>;
  /** Deletes the written snippets (for `afterAll`). */
  cleanup(): void;
}

export function readmeSnippets({ packageRoot, importRewrites }: ReadmeSnippetsOptions): ReadmeSnippets {
  // Under test-results/ (git-ignored) and inside the package, so the snippets are ES modules that resolve
  // its dependencies; per process, so that two runs side by side do not delete each other's files.
  const outDir = join(packageRoot, `test-results/readme-${process.pid}`);
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');

  const found: { section: string; code: string }[] = [];
  let section = '';
  for (const match of readme.matchAll(/^## (.+)$|^```ts\n([\s\S]*?)^```$/gm)) {
    if (match[1]) section = match[1];
    else found.push({ section, code: match[2]! });
  }

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const snippets = found.map(({ section, code }, i): ReadmeSnippet => {
    const file = join(outDir, `snippet-${i + 1}.ts`);
    let source = code;
    for (const [specifier, target] of Object.entries(importRewrites)) {
      // A relative path with its extension: tsc (NodeNext) and vite both resolve it to src.
      const path = relative(outDir, join(packageRoot, target)).split(sep).join('/');
      source = source.replaceAll(`from '${specifier}'`, `from '${path}'`);
    }
    writeFileSync(file, `${source}\nexport {};\n`);
    const expected = [...code.matchAll(/\/\/ => ?(.*)$/gm)].map((m) => m[1]!.trimEnd());
    return { section, code, file, expected };
  });

  return {
    readme,
    snippets,
    typecheck() {
      // The package's own tsconfig (it extends tsconfig.base.json), so that e.g. JSX settings apply.
      const configFile = ts.readConfigFile(join(packageRoot, 'tsconfig.json'), ts.sys.readFile);
      const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, packageRoot);
      const program = ts.createProgram(
        snippets.map((s) => s.file),
        { ...options, noEmit: true },
      );
      return ts.getPreEmitDiagnostics(program).map((d) => {
        const where = d.file
          ? `${relative(packageRoot, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
          : '';
        return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    },
    async run(snippet) {
      const printed: string[] = [];
      const log = console.log;
      // One printed line per `// =>` line: objects are not wrapped at 80 columns.
      console.log = (...args: unknown[]) => {
        printed.push(...formatWithOptions({ breakLength: Number.POSITIVE_INFINITY }, ...args).split('\n'));
      };
      try {
        await import(pathToFileURL(snippet.file).href);
      } finally {
        console.log = log;
      }
      return printed.map((line) => line.trimEnd());
    },
    cleanup() {
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
