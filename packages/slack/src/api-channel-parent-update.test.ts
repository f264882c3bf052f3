import { ConfigError } from '@pytake/notify-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApiChannel, type SlackParentUpdateFailure } from './api-channel.js';
import { header } from './blocks/header.js';
import { slackMessage } from './slack-message.js';
import { failure } from './testing/failure.js';
import { type FakeAnswer, type FakeRequest, fakeClock, startFakeSlack } from './testing/fake-slack.js';

// A resolved alert with thread replies is two calls: the reply in the thread (chat.postMessage),
// then the edit of the parent (chat.update). Once the reply is posted the people were told, whatever
// happens to the edit.

const TOKEN = 'xoxb-555-666-p4r3ntT0k3n';
const created = slackMessage({ text: 'CPU high', blocks: [header('CPU high')] });
const resolved = slackMessage({ text: 'Resolved', blocks: [header('Resolved')] });
const parentUpdate = slackMessage({ text: '~CPU high~ resolved', blocks: [header('CPU high: resolved')] });

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): FakeAnswer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

// The Web API as Slack documents it: HTTP 200 with `{ ok: true, channel, ts }` for chat.postMessage,
// and `updateAnswer(n)` for the n-th chat.update (`{ ok: false, error }`, also HTTP 200, for an edit
// it refuses; `undefined` for success).
async function fakeApi(updateAnswer: (n: number) => FakeAnswer | undefined) {
  let ts = 1000;
  let updates = 0;
  const server = await startFakeSlack((request: FakeRequest) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return json({ ok: false, error: 'not_authed' });
    const body = JSON.parse(request.body) as { channel: string; ts?: string };
    if (request.path === '/api/chat.postMessage')
      return json({ ok: true, channel: body.channel, ts: `${ts++}.000100` });
    if (request.path === '/api/chat.update')
      return updateAnswer(updates++) ?? json({ ok: true, channel: body.channel, ts: body.ts });
    return json({ ok: false, error: 'unknown_method' });
  });
  close = server.close;
  const calls = () =>
    server.requests.map((r) => {
      const body = JSON.parse(r.body) as { text?: string; thread_ts?: string; ts?: string };
      return [r.path.replace('/api/', ''), body.text, body.thread_ts ?? body.ts];
    });
  return { ...server, calls, baseUrl: `${server.origin}/api/` };
}

function channel(baseUrl: string, extra: Partial<Parameters<typeof createSlackApiChannel>[0]> = {}) {
  const clock = fakeClock();
  const failures: SlackParentUpdateFailure[] = [];
  const api = createSlackApiChannel({
    token: TOKEN,
    baseUrl,
    allowedHosts: ['127.0.0.1'],
    rateLimit: false,
    now: clock.now,
    retry: { sleep: clock.sleep, random: () => 0 },
    onParentUpdateFailed: (f) => failures.push(f),
    ...extra,
  });
  return { api, failures, clock };
}

const thread = { channel: 'C024BE91L', threadKey: 'alert-1' };
const resolve = { ...thread, message: resolved, parentUpdate, event: 'alert.resolved' as const };

describe('createSlackApiChannel', () => {
  describe('send() of a resolved alert with thread: true', () => {
    it.each([
      'message_not_found', // the parent was deleted
      'cant_update_message',
      'edit_window_closed',
    ])(
      'resolves with the reply when Slack refuses the parent edit with %s, and reports the edit',
      async (code) => {
        const slack = await fakeApi(() => json({ ok: false, error: code }));
        const { api, failures } = channel(slack.baseUrl);
        await api.send({ ...thread, message: created, event: 'alert.created', thread: true });

        const receipt = await api.send({ ...resolve, thread: true }, { idempotencyKey: 'k-resolved' });

        expect(receipt).toMatchObject({ providerId: '1001.000100', attempts: 2 });
        // The record keeps what happened: delivered, with the failed edit as a warning.
        expect(receipt.warnings).toEqual([{ code: 'parent_update_failed', message: code }]);
        expect(slack.calls()).toEqual([
          ['chat.postMessage', 'CPU high', undefined],
          ['chat.postMessage', 'Resolved', '1000.000100'], // the reply, exactly once
          ['chat.update', '~CPU high~ resolved', '1000.000100'],
        ]);
        expect(failures).toHaveLength(1);
        expect(failures[0]).toMatchObject({
          channel: 'C024BE91L',
          threadKey: 'alert-1',
          parentTs: '1000.000100',
          replyTs: '1001.000100',
          slackError: code,
          idempotencyKey: 'k-resolved',
          error: { code: 'permanent', retryable: false, attempts: 1 },
        });
        expect(failures[0]?.error.message).toBe(`Slack chat.update failed: ${code}`);
        expect(JSON.stringify(failures[0])).not.toContain('p4r3ntT0k3n');
      },
    );

    it('resolves without a hook too, and a retry of the same delivery posts nothing new', async () => {
      const slack = await fakeApi(() => json({ ok: false, error: 'message_not_found' }));
      const { api } = channel(slack.baseUrl, { onParentUpdateFailed: undefined, threadReplies: true });
      await api.send({ ...thread, message: created, event: 'alert.created' });
      expect((await api.send(resolve, { idempotencyKey: 'k-resolved' })).providerId).toBe('1001.000100');
      expect((await api.send(resolve, { idempotencyKey: 'k-resolved' })).providerId).toBe('1001.000100');
      expect(slack.calls().map(([method]) => method)).toEqual([
        'chat.postMessage',
        'chat.postMessage',
        'chat.update',
        'chat.update', // the retry tries the edit again, never the reply
      ]);
    });

    it('resolves when the hook throws: a broken log line does not fail a delivered reply', async () => {
      const slack = await fakeApi(() => json({ ok: false, error: 'message_not_found' }));
      const { api } = channel(slack.baseUrl, {
        threadReplies: true,
        onParentUpdateFailed: () => {
          throw new Error('logger down');
        },
      });
      await api.send({ ...thread, message: created, event: 'alert.created' });
      expect((await api.send(resolve)).providerId).toBe('1001.000100');
    });

    it('retries a transient edit failure in its own loop, posting the reply once', async () => {
      const slack = await fakeApi((n) =>
        n === 0 ? json({ ok: false, error: 'internal_error' }, 503) : undefined,
      );
      const { api, failures } = channel(slack.baseUrl, { threadReplies: true });
      await api.send({ ...thread, message: created, event: 'alert.created' });
      const receipt = await api.send(resolve);
      expect(receipt).toMatchObject({ providerId: '1001.000100', attempts: 3 });
      expect(slack.calls().map(([method]) => method)).toEqual([
        'chat.postMessage',
        'chat.postMessage',
        'chat.update',
        'chat.update',
      ]);
      expect(failures).toEqual([]);
    });

    it('throws a transient edit failure with retry: false, and the retry with the same key only edits', async () => {
      const slack = await fakeApi((n) =>
        n === 0 ? json({ ok: false, error: 'internal_error' }, 500) : undefined,
      );
      const { api, failures } = channel(slack.baseUrl, { threadReplies: true });
      await api.send({ ...thread, message: created, event: 'alert.created' });
      const once = { retry: false, idempotencyKey: 'k-resolved' } as const;

      const error = await failure(api.send(resolve, once));
      expect(error).toMatchObject({ code: 'transient', retryable: true });
      const receipt = await api.send(resolve, once);

      expect(receipt).toMatchObject({ providerId: '1001.000100', attempts: 1 });
      expect(slack.calls()).toEqual([
        ['chat.postMessage', 'CPU high', undefined],
        ['chat.postMessage', 'Resolved', '1000.000100'],
        ['chat.update', '~CPU high~ resolved', '1000.000100'],
        ['chat.update', '~CPU high~ resolved', '1000.000100'],
      ]);
      expect(failures).toEqual([]);
    });

    it('refuses an onParentUpdateFailed that is not a function when the channel is created', () => {
      const create = () =>
        createSlackApiChannel({ token: TOKEN, onParentUpdateFailed: 'log' as unknown as () => void });
      expect(create).toThrow(ConfigError);
      expect(create).toThrow('onParentUpdateFailed: expected a function, got "log"');
    });
  });
});
