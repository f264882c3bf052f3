import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from '../../../scripts/readme-snippets.mjs';

// Keeps the README true: every ```ts snippet is typechecked against src, run, and what it prints is
// compared with its `// =>` comments.
const { readme, snippets, typecheck, run, cleanup } = readmeSnippets({
  packageRoot: fileURLToPath(new URL('..', import.meta.url)),
  importRewrites: { '@pytake/notify-core': 'src/index.js', '@pytake/notify-core/metrics': 'src/metrics.js' },
});

afterAll(cleanup);

describe('README.md', () => {
  it('has a snippet in every task section', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set([
        'Validate an event',
        'Route events to organizations',
        'Storm control',
        'Retry and rate limits',
        'Handle errors',
        'Metrics',
        'Traces',
      ]),
    );
    expect(readme).toContain('\n## API\n');
  });

  it('typechecks every snippet against the real API', () => {
    expect(typecheck()).toEqual([]);
  }, 600_000); // a whole-program typecheck: seconds, minutes on a machine with 10 jobs per core

  snippets.forEach((snippet, i) => {
    it(`runs the snippet of "${snippet.section}" (#${i + 1}) and prints what it says`, async () => {
      expect(await run(snippet)).toEqual(snippet.expected);
    });
  });
});
