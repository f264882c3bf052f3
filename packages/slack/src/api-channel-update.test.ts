import { ConfigError, isNotifyError, type NotifyError } from '@pytake/notify-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApiChannel } from './api-channel.js';
import { header } from './blocks/header.js';
import { slackMessage } from './slack-message.js';
import { type FakeAnswer, fakeClock, startFakeSlack } from './testing/fake-slack.js';

const TOKEN = 'xoxb-333-444-upd4t3T0k3n';
const acknowledged = slackMessage({ text: 'Acknowledged by ana', blocks: [header('Acknowledged by ana')] });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): FakeAnswer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

// chat.update as Slack documents it: HTTP 200 and `{ ok, channel, ts, text, message }`, or
// `{ ok: false, error }` (also HTTP 200) for a message it cannot find.
async function fakeApi(known = new Set(['1700000000.000100'])) {
  const server = await startFakeSlack((request, index) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return json({ ok: false, error: 'not_authed' });
    if (request.path !== '/api/chat.update') return json({ ok: false, error: 'unknown_method' });
    if (known.has('ratelimited-once') && index === 0)
      return json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': '1' });
    const body = JSON.parse(request.body) as { channel: string; ts: string; text?: string };
    if (!known.has(body.ts)) return json({ ok: false, error: 'message_not_found' });
    return json({
      ok: true,
      channel: body.channel,
      ts: body.ts,
      text: body.text,
      message: { text: body.text },
    });
  });
  close = server.close;
  return { ...server, baseUrl: `${server.origin}/api/` };
}

const channel = (baseUrl: string) => {
  const clock = fakeClock();
  return createSlackApiChannel({
    token: TOKEN,
    baseUrl,
    allowedHosts: ['127.0.0.1'],
    now: clock.now,
    retry: { sleep: clock.sleep, random: () => 0 },
  });
};

async function failure(promise: Promise<unknown>): Promise<NotifyError> {
  try {
    await promise;
  } catch (error) {
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain('upd4t3T0k3n');
    return error as NotifyError;
  }
  throw new Error('expected a rejection');
}

describe('createSlackApiChannel', () => {
  describe('update()', () => {
    it('replaces the message with chat.update and the bearer token, leaving thread_ts out', async () => {
      const api = await fakeApi();
      const receipt = await channel(api.baseUrl).update({
        channel: 'C024BE91L',
        ts: '1700000000.000100',
        message: { ...acknowledged, thread_ts: '1699999999.000001' },
      });
      expect(receipt).toMatchObject({ attempts: 1, providerId: '1700000000.000100' });
      expect(api.requests[0]?.path).toBe('/api/chat.update');
      expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({
        ...acknowledged,
        channel: 'C024BE91L',
        ts: '1700000000.000100',
      });
    });

    it('fails for good on message_not_found, naming the method and the code', async () => {
      const api = await fakeApi();
      const error = await failure(
        channel(api.baseUrl).update({ channel: 'C024BE91L', ts: '1.2', message: acknowledged }),
      );
      expect(isNotifyError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'permanent', retryable: false });
      expect(error.message).toBe('Slack chat.update failed: message_not_found');
      expect(api.requests).toHaveLength(1);
    });

    it('waits out a 429 and tries again', async () => {
      const api = await fakeApi(new Set(['ratelimited-once', '1700000000.000100']));
      const receipt = await channel(api.baseUrl).update({
        channel: 'C024BE91L',
        ts: '1700000000.000100',
        message: acknowledged,
      });
      expect(receipt.attempts).toBe(2);
    });

    it('refuses a bad channel id or ts before any request', async () => {
      const api = await fakeApi();
      const c = channel(api.baseUrl);
      await expect(c.update({ channel: '#alerts', ts: '1.2', message: acknowledged })).rejects.toThrow(
        ConfigError,
      );
      await expect(
        c.update({ channel: 'C024BE91L', ts: 'yesterday', message: acknowledged }),
      ).rejects.toMatchObject({ issues: [{ path: 'ts', message: expect.stringContaining('"yesterday"') }] });
      expect(api.requests).toHaveLength(0);
    });
  });
});
