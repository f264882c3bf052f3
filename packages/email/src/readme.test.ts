import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from '../../../scripts/readme-snippets.mjs';
import { startTestServer, type TestServer } from './testing/smtp-test-server.js';

// Keeps the README true: every ```ts snippet is typechecked against src, run against a local SMTP
// server, and what it prints is compared with its `// =>` comments.
const { readme, snippets, typecheck, run, cleanup } = readmeSnippets({
  packageRoot: fileURLToPath(new URL('..', import.meta.url)),
  importRewrites: { '@pytake/notify-email': 'src/index.js' },
});

let server: TestServer;
const savedEnv = { ...process.env };
beforeAll(async () => {
  // Refuses every address starting with "gone", for the "Recipients the server refuses" snippet, and
  // greylists each address starting with "new" once, for the "Send from a queue worker" snippet.
  const greylisted = new Set<string>();
  server = await startTestServer({
    rcpt: (address) => {
      if (address.startsWith('gone'))
        return { code: 550, message: `5.1.1 <${address}>: mailbox unavailable` };
      if (!address.startsWith('new') || greylisted.has(address)) return undefined;
      greylisted.add(address);
      return { code: 451, message: '4.7.1 Greylisted, try again later' };
    },
  });
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
  cleanup();
});

describe('README.md', () => {
  it('has a snippet in every task section and an API section', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set([
        'Configure from the environment',
        'Send an alert email',
        'Automatic mail and one-click unsubscribe',
        'Sign with DKIM',
        'Recipients the server refuses',
        'Send a batch',
        'Check the connection',
        'Thread the emails of one alert',
        'Retry and rate limits',
        'Send from a queue worker',
        'Handle errors',
        'Use it with the notifier',
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

  it('delivered what the snippets sent to the local server', () => {
    expect(server.received.length).toBeGreaterThanOrEqual(8);
  });
});
