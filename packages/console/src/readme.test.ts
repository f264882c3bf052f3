import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from '../../../scripts/readme-snippets.mjs';
import { startRedis, type TestRedis } from '../../queue/src/testing/redis-server.js';

// Keeps the README true: every ```ts snippet is typechecked against src, run, and what it prints is
// compared with its `// =>` comments. The snippets start their own servers on 127.0.0.1.
const { readme, snippets, typecheck, run, cleanup } = readmeSnippets({
  packageRoot: fileURLToPath(new URL('..', import.meta.url)),
  importRewrites: { '@pytake/notify-console': 'src/index.js' },
});

// The Redis snippet's own redis-server, as the queue's README test starts one.
let redis: TestRedis;
const savedEnv = { ...process.env };
beforeAll(async () => {
  redis = await startRedis();
  Object.assign(process.env, { CONSOLE_TOKEN: 'readme-operator-token', REDIS_URL: redis.connection.path });
});
afterAll(async () => {
  process.env = savedEnv;
  await redis?.stop();
  cleanup();
});

describe('README.md', () => {
  it('has a snippet in every task section and says what is not there yet', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set(['Mount the console', 'Other servers: the fetch handler', 'The console on Redis']),
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
