import type { HeaderBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApiChannel } from './api-channel.js';
import { divider } from './blocks/divider.js';
import { type SlackMessage, slackMessage } from './slack-message.js';
import { SlackValidationError } from './slack-validation-error.js';
import { startFakeSlack } from './testing/fake-slack.js';
import { createSlackWebhookChannel } from './webhook-channel.js';

// How often the limit checks walk a message, seen from outside: a header whose text counts its
// reads. slackMessage() keeps blocks it did not cut, so the message it builds holds this very block.
function countedHeader(text: string) {
  let reads = 0;
  const textObject = { type: 'plain_text' } as HeaderBlock['text'];
  Object.defineProperty(textObject, 'text', {
    enumerable: true,
    get: () => {
      reads++;
      return text;
    },
  });
  return { block: { type: 'header', text: textObject } as HeaderBlock, reads: () => reads };
}

/** The reads of one `JSON.stringify`: what putting the message on the wire costs, with no check. */
function readsToSerialize(message: SlackMessage, reads: () => number): number {
  const before = reads();
  JSON.stringify(message);
  return reads() - before;
}

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const channels = [
  {
    name: 'webhook channel',
    async start() {
      const slack = await startFakeSlack(() => ({ status: 200, body: 'ok' }));
      servers.push(slack);
      const channel = createSlackWebhookChannel({ allowedHosts: ['127.0.0.1'], rateLimit: false });
      const webhookUrl = `${slack.origin}/services/T000/B000/ch3ckOnce`;
      return {
        requests: slack.requests,
        send: (message: SlackMessage) => channel.send({ webhookUrl, message }),
      };
    },
  },
  {
    name: 'Web API channel',
    async start() {
      const slack = await startFakeSlack(() => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ok: true, channel: 'C024BE91L', ts: '1700000000.000100' }),
      }));
      servers.push(slack);
      const channel = createSlackApiChannel({
        token: 'xoxb-111-222-ch3ckOnce',
        baseUrl: `${slack.origin}/api/`,
        allowedHosts: ['127.0.0.1'],
        rateLimit: false,
      });
      return {
        requests: slack.requests,
        send: (message: SlackMessage) => channel.send({ channel: 'C024BE91L', message }),
      };
    },
  },
];

describe.each(channels)('$name send()', ({ start }) => {
  it('checks a message from slackMessage() once, when it is built: the send only serializes it', async () => {
    const { send, requests } = await start();
    const header = countedHeader('CPU high');
    const message = slackMessage({ text: 'CPU high', blocks: [header.block] });
    expect(message.blocks?.[0]).toBe(header.block);
    const serialize = readsToSerialize(message, header.reads);
    const before = header.reads();
    await send(message);
    expect(header.reads() - before).toBe(serialize);
    expect(requests).toHaveLength(1);
  });

  it('checks a message it did not see built, and a copy of one that it did', async () => {
    const { send, requests } = await start();
    const header = countedHeader('CPU high');
    const raw: SlackMessage = { text: 'CPU high', blocks: [header.block] };
    const serialize = readsToSerialize(raw, header.reads);
    const before = header.reads();
    await send(raw);
    expect(header.reads() - before).toBeGreaterThan(serialize);

    const built = slackMessage({ text: 'CPU high', blocks: [divider()] });
    const tooMany = { ...built, blocks: Array.from({ length: 51 }, () => divider()) };
    await expect(send(tooMany)).rejects.toThrow(SlackValidationError);
    expect(requests).toHaveLength(1);
  });
});
