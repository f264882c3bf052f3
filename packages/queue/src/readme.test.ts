import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from '../../../scripts/readme-snippets.mjs';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { type Receiver, startReceiver } from './testing/webhook-receiver.js';

// Keeps the README true: every ```ts snippet is typechecked against src, run against a redis-server
// and a webhook receiver of this test's own, and what it prints is compared with its `// =>` comments.
const { readme, snippets, typecheck, run, cleanup } = readmeSnippets({
  packageRoot: fileURLToPath(new URL('..', import.meta.url)),
  importRewrites: {
    '@pytake/notify-queue': 'src/index.js',
    '@pytake/notify-queue/metrics': 'src/metrics.js',
  },
});

let redis: TestRedis;
let receiver: Receiver;
const savedEnv = { ...process.env };
beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver({ failWith: new Map([['/services/T0/B2/revoked', 404]]) });
  Object.assign(process.env, { REDIS_URL: redis.connection.path, WEBHOOK_BASE: receiver.base });
});
afterAll(async () => {
  process.env = savedEnv;
  await receiver?.close();
  await redis?.stop();
  cleanup();
});

// The receiver's port changes from run to run; the README shows its host alone.
const withoutPort = (lines: string[]) => lines.map((line) => line.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1'));

describe('README.md', () => {
  it('has a snippet in every task section and an API section', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set([
        'Enqueue from a service',
        'Handle errors',
        'Run a worker',
        "An alert's conversation across workers",
        'Storm control across workers',
        'Dead letters',
        'Send once across instances without the queue',
        'Health probes and start-up checks',
        'Metrics',
      ]),
    );
    for (const section of [
      'Why a queue',
      'The process model',
      'What it guarantees',
      'Operations',
      'Redis settings',
      'API',
    ]) {
      expect(readme).toContain(`\n## ${section}\n`);
    }
  });

  it('typechecks every snippet against the real API', () => {
    expect(typecheck()).toEqual([]);
  }, 600_000); // a whole-program typecheck: seconds, minutes on a machine with 10 jobs per core

  snippets.forEach((snippet, i) => {
    it(`runs the snippet of "${snippet.section}" (#${i + 1}) and prints what it says`, async () => {
      expect(withoutPort(await run(snippet))).toEqual(snippet.expected);
    }, 300_000);
  });

  it('sent what the snippets delivered to the local receiver', () => {
    expect(receiver.accepted().length).toBeGreaterThanOrEqual(1);
  });
});
