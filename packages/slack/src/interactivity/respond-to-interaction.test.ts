import { ConfigError, type NotifyError } from '@pytake/notify-core';
import { afterEach, describe, expect, it } from 'vitest';
import { header } from '../blocks/header.js';
import { slackMessage } from '../slack-message.js';
import { SlackValidationError } from '../slack-validation-error.js';
import { type FakeAnswer, type FakeRequest, fakeClock, startFakeSlack } from '../testing/fake-slack.js';
import { respondToInteraction } from './respond-to-interaction.js';

const message = slackMessage({ text: 'Resolved by ana', blocks: [header('Resolved by ana')] });
const PATH = '/actions/T111/222/s3cr3tResp0nse';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

// A response_url answers like an incoming webhook: 200 `ok`, or a status with an error code
// (`expired_url` once its 30 minutes or 5 uses are over).
async function fakeResponseUrl(handler: (request: FakeRequest, index: number) => FakeAnswer) {
  const server = await startFakeSlack(handler);
  close = server.close;
  return { ...server, url: `${server.origin}${PATH}` };
}

const options = () => {
  const clock = fakeClock();
  return { allowedHosts: ['127.0.0.1'], retry: { sleep: clock.sleep, random: () => 0 } };
};

async function failure(promise: Promise<unknown>): Promise<NotifyError> {
  try {
    await promise;
  } catch (error) {
    // The URL is a credential for 30 minutes.
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain('s3cr3tResp0nse');
    return error as NotifyError;
  }
  throw new Error('expected a rejection');
}

describe('respondToInteraction()', () => {
  it('posts the new message with replace_original: true', async () => {
    const slack = await fakeResponseUrl(() => ({ status: 200, body: 'ok' }));
    const receipt = await respondToInteraction(slack.url, message, options());
    expect(receipt.attempts).toBe(1);
    expect(slack.requests[0]?.path).toBe(PATH);
    expect(slack.requests[0]?.headers['content-type']).toContain('application/json');
    expect(JSON.parse(slack.requests[0]?.body ?? '')).toEqual({ ...message, replace_original: true });
  });

  it('fails for good on an expired response URL, quoting only the error code', async () => {
    const slack = await fakeResponseUrl(() => ({ status: 404, body: 'expired_url' }));
    const error = await failure(respondToInteraction(slack.url, message, options()));
    expect(error).toMatchObject({ code: 'permanent', retryable: false });
    expect(error.message).toContain('expired_url');
    expect(slack.requests).toHaveLength(1);
  });

  it('fails on an HTTP 200 that says { ok: false }', async () => {
    const slack = await fakeResponseUrl(() => ({ status: 200, body: '{"ok":false,"error":"used_url"}' }));
    const error = await failure(respondToInteraction(slack.url, message, options()));
    expect(error).toMatchObject({ code: 'permanent' });
    expect(error.message).toContain('used_url');
  });

  it('retries a 503 and then succeeds', async () => {
    const slack = await fakeResponseUrl((_, index) =>
      index === 0 ? { status: 503, body: 'service_unavailable' } : { status: 200, body: '{"ok":true}' },
    );
    expect((await respondToInteraction(slack.url, message, options())).attempts).toBe(2);
  });

  it('refuses a URL that is not Slack’s, and a message Slack would refuse, before any request', async () => {
    await expect(respondToInteraction('https://example.com/actions/x', message)).rejects.toThrow(ConfigError);
    await expect(respondToInteraction('http://10.0.0.1/actions/x', message)).rejects.toThrow(ConfigError);
    const slack = await fakeResponseUrl(() => ({ status: 200, body: 'ok' }));
    await expect(respondToInteraction(slack.url, { text: '' }, options())).rejects.toThrow(
      SlackValidationError,
    );
    expect(slack.requests).toHaveLength(0);
  });
});
