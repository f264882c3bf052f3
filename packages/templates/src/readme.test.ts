import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from '../../../scripts/readme-snippets.mjs';

// Keeps the README true: every ```ts snippet runs against src, and what it prints is compared with its
// `// =>` comments.
const { readme, snippets, run, cleanup } = readmeSnippets({
  packageRoot: fileURLToPath(new URL('..', import.meta.url)),
  importRewrites: {
    '@pytake/notify-templates': 'src/index.js',
    '@pytake/notify-templates/react': 'src/react/index.js',
    '@pytake/notify-templates/fixtures': 'src/fixtures/index.js',
  },
});

afterAll(cleanup);

describe('README.md', () => {
  it('has a snippet in every task section', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set([
        'Render an alert email',
        'Render a Slack message',
        "Use them as the notifier's routes",
        'Storm digests',
        'Preview with the fixtures',
        'Use the React components',
        'Compiled templates',
      ]),
    );
    expect(readme).toContain('\n## API\n');
  });

  snippets.forEach((snippet) => {
    it(`runs the snippet in "${snippet.section}" and prints what it says`, async () => {
      expect(await run(snippet)).toEqual(snippet.expected);
    });
  });
});
