import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeSnippets } from '../../../scripts/readme-snippets.mjs';
import { type FakeRequest, startFakeSlack } from './testing/fake-slack.js';
import { routeHttpsHost } from './testing/route-https-host.js';

// Keeps the README true: every ```ts snippet is typechecked against src, run, and what it prints is
// compared with its `// =>` comments. The sending snippets use Slack's real URLs (hooks.slack.com,
// slack.com/api) as a reader would; the test routes those two hosts to a local node:http server that
// answers the way Slack documents, so the requests really go over HTTP but never leave the machine.
const { readme, snippets, typecheck, run, cleanup } = readmeSnippets({
  packageRoot: fileURLToPath(new URL('..', import.meta.url)),
  importRewrites: { '@pytake/notify-slack': 'src/index.js' },
});

const parentTs = '1503435956.000247';
let fake: Awaited<ReturnType<typeof startFakeSlack>>;
const realFetch = globalThis.fetch;
let unrouteWebhooks = () => {};
const savedEnv = { ...process.env };

beforeAll(async () => {
  let posts = 0;
  fake = await startFakeSlack((request: FakeRequest) => {
    if (request.path.endsWith('/busy-webhook-secret')) {
      return { status: 429, body: 'rate_limited', headers: { 'retry-after': '3600' } };
    }
    if (request.path.startsWith('/services/')) {
      // An empty payload gets `no_text` from a live webhook; a message gets `ok`.
      return request.body === '{}' ? { status: 400, body: 'no_text' } : { status: 200, body: 'ok' };
    }
    const json = { 'content-type': 'application/json' };
    if (request.path === '/api/chat.postMessage') {
      const ts = posts++ === 0 ? parentTs : `1503435956.00030${posts}`;
      return { status: 200, headers: json, body: JSON.stringify({ ok: true, channel: 'C024BE91L', ts }) };
    }
    if (request.path === '/api/chat.update') {
      // Only the first alert's parent is still there: the snippet's second one was deleted.
      const { ts } = JSON.parse(request.body) as { ts: string };
      return {
        status: 200,
        headers: json,
        body: JSON.stringify(
          ts === parentTs
            ? { ok: true, channel: 'C024BE91L', ts }
            : { ok: false, error: 'message_not_found' },
        ),
      };
    }
    return { status: 404, body: 'no_service' };
  });
  // The webhook channel posts with node:https: its connections to hooks.slack.com go to the local server.
  unrouteWebhooks = routeHttpsHost('hooks.slack.com', fake.origin);
  // Like a hosts-file entry for Slack's two hosts: same request, sent to the local server instead.
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.hostname !== 'hooks.slack.com' && url.hostname !== 'slack.com') return realFetch(request);
    return realFetch(`${fake.origin}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body: await request.arrayBuffer(),
      redirect: request.redirect,
      signal: request.signal,
    });
  };
  for (const key of Object.keys(process.env)) if (key.startsWith('SLACK_')) delete process.env[key];
  Object.assign(process.env, {
    SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T024BE7LD/B024BE7LH/readme-webhook-secret',
    SLACK_BOT_TOKEN: 'xoxb-readme-test-token',
    SLACK_SIGNING_SECRET: 'readme-signing-secret',
  });
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  unrouteWebhooks();
  process.env = savedEnv;
  await fake?.close();
  cleanup();
});

describe('README.md', () => {
  it('has a snippet in every task section and an API section', () => {
    expect(new Set(snippets.map((s) => s.section))).toEqual(
      new Set([
        'Build a message',
        'Send through webhooks',
        'Retry and rate limits',
        'Threads with the Web API',
        'Verify requests and handle button clicks',
      ]),
    );
    expect(readme).toContain('\n## API and defaults\n');
  });

  it('typechecks every snippet against the real API', () => {
    expect(typecheck()).toEqual([]);
  }, 600_000); // a whole-program typecheck: seconds, minutes on a machine with 10 jobs per core

  snippets.forEach((snippet, i) => {
    it(`runs the snippet of "${snippet.section}" (#${i + 1}) and prints what it says`, async () => {
      expect(await run(snippet)).toEqual(snippet.expected);
    });
  });

  it('sent what the snippets say to the local Slack', () => {
    const paths = fake.requests.map((r) => r.path);
    expect(paths).toEqual([
      '/services/T024BE7LD/B024BE7LH/readme-webhook-secret', // verifyWebhook
      '/services/T024BE7LD/B024BE7LH/readme-webhook-secret', // send
      '/services/T024BE7LD/B024BE7LH/busy-webhook-secret', // 429 Retry-After 3600; the second send fails fast
      '/api/chat.postMessage', // parent
      '/api/chat.postMessage', // escalated: reply
      '/api/chat.postMessage', // resolved: reply
      '/api/chat.update', // resolved: the parent
      '/api/chat.postMessage', // second alert: parent
      '/api/chat.postMessage', // resolved: reply, once
      '/api/chat.update', // resolved: the deleted parent (message_not_found)
    ]);
    const api = fake.requests.slice(3).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const secondParent = '1503435956.000304';
    expect(api.map((b) => b.thread_ts)).toEqual([
      undefined,
      parentTs,
      parentTs,
      undefined,
      undefined,
      secondParent,
      undefined,
    ]);
    expect(api[3]).toMatchObject({ ts: parentTs, text: '✅ ~Disk full on db-1~ resolved' });
    expect(api[6]).toMatchObject({ ts: secondParent, text: '✅ Resolved after 3 min' });
    expect(fake.requests[3]?.headers.authorization).toBe('Bearer xoxb-readme-test-token');
  });
});
