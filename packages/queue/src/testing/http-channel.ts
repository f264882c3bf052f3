import { type Channel, NotifyError, type SlackDelivery } from '@pytake/notify-core';
import { ceiling } from './fixtures.js';

/**
 * The test's own webhook channel: POSTs the message to the webhook URL with the idempotency key in a
 * header, one attempt (the queue retries), and answers like a Slack channel would: 429 is
 * `rate_limited` with Retry-After, 5xx transient, other 4xx permanent. Errors never quote the URL.
 * Its timeout is a ceiling for a loaded machine: a POST that the receiver accepted but that timed out
 * here is retried and arrives twice (what at-least-once over HTTP allows), and a test counting
 * duplicates must not count those made by a slow machine (139 of 10,000 at a load average of 25 with
 * a 10 s timeout).
 */
export function createHttpChannel(options: { timeoutMs?: number } = {}): Channel<SlackDelivery> {
  return {
    kind: 'slack',
    async send(delivery, sendOptions = {}) {
      const started = performance.now();
      const signals = [AbortSignal.timeout(options.timeoutMs ?? ceiling(30_000))];
      if (sendOptions.signal) signals.push(sendOptions.signal);
      let response: Response;
      try {
        response = await fetch(delivery.webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-idempotency-key': sendOptions.idempotencyKey ?? '',
          },
          body: JSON.stringify(delivery.message),
          signal: AbortSignal.any(signals),
        });
        await response.arrayBuffer();
      } catch (cause) {
        throw new NotifyError('webhook request failed', { code: 'transient', retryable: true, cause });
      }
      if (response.status === 429) {
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        throw new NotifyError('webhook answered 429', {
          code: 'rate_limited',
          retryable: true,
          retryAfterMs: seconds * 1000,
        });
      }
      if (response.status >= 500)
        throw new NotifyError(`webhook answered ${response.status}`, { code: 'transient', retryable: true });
      if (response.status >= 400)
        throw new NotifyError(`webhook answered ${response.status} for ${delivery.webhookUrl}`, {
          code: 'permanent',
        });
      return { attempts: 1, durationMs: Math.round(performance.now() - started) };
    },
  };
}
