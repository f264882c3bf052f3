import { type Channel, NotifyError, type SlackDelivery } from '@pytake/notify-core';

/**
 * The test's own webhook channel: POSTs the message to the webhook URL with the idempotency key in a
 * header, one attempt (the queue retries), and answers like a Slack channel would: 429 is
 * `rate_limited` with Retry-After, 5xx transient, other 4xx permanent. Errors never quote the URL.
 */
export function createHttpChannel(options: { timeoutMs?: number } = {}): Channel<SlackDelivery> {
  return {
    kind: 'slack',
    async send(delivery, sendOptions = {}) {
      const started = performance.now();
      const signals = [AbortSignal.timeout(options.timeoutMs ?? 10_000)];
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
