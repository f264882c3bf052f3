import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from '../../../scripts/readme-snippets.mjs';

// Keeps the README true: every ```ts snippet is typechecked against src, run, and what it prints is
// compared with its `// =>` comments. The snippets start their own servers on 127.0.0.1.
const { readme, snippets, typecheck, run, cleanup } = readmeSnippets({
  packageRoot: fileURLToPath(new URL('..', import.meta.url)),
  importRewrites: { '@pytake/notify-console': 'src/index.js' },
});

const savedToken = process.env.CONSOLE_TOKEN;
beforeAll(() => {
  process.env.CONSOLE_TOKEN = 'readme-operator-token';
});
afterAll(() => {
  if (savedToken === undefined) delete process.env.CONSOLE_TOKEN;
  else process.env.CONSOLE_TOKEN = savedToken;
  cleanup();
});

describe('README.md', () => {
  it('has a snippet in every task section and says what is not there yet', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set(['Mount the console', 'Other servers: the fetch handler']),
    );
    expect(readme).toContain('\n## Security model\n');
    expect(readme).toContain('\n## Not there yet\n');
  });

  it('typechecks every snippet against the real API', () => {
    expect(typecheck()).toEqual([]);
  }, 600_000); // a whole-program typecheck: seconds, minutes on a busy machine

  snippets.forEach((snippet, i) => {
    it(`runs the snippet of "${snippet.section}" (#${i + 1}) and prints what it says`, async () => {
      expect(await run(snippet)).toEqual(snippet.expected);
    });
  });
});
