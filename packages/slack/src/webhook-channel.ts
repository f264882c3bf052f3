import {
  type BatchOptions,
  type BatchResult,
  type Channel,
  type DeliveryReceipt,
  isNotifyError,
  NotifyError,
  type RetryOptions,
  redactUrl,
  retry,
  retryDefaults,
  runBatch,
  type SendOptions,
} from '@pytake/notify-core';
import { checkChannelOptions } from './delivery/check-options.js';
import { checkUrl } from './delivery/check-url.js';
import { slackChannelDefaults } from './delivery/defaults.js';
import { postJson } from './delivery/post-json.js';
import { createRateLimiter, type RateLimitOptions } from './delivery/rate-limiter.js';
import { slackErrorCode } from './delivery/slack-error-code.js';
import { checkWebhookResponse } from './delivery/webhook-response.js';
import type { SlackMessage } from './slack-message.js';
import { SlackValidationError } from './slack-validation-error.js';
import { validateSlackMessage } from './validate-slack-message.js';

/**
 * What the webhook channel sends: one message to one webhook. It is core's `SlackDelivery`, so the
 * notifier can hand each organization's webhooks to one channel.
 */
export interface SlackWebhookDelivery {
  webhookUrl: string;
  message: SlackMessage;
  /** The alert id; webhooks cannot reply in threads, so it is only carried along. */
  threadKey?: string;
}

export interface SlackWebhookChannelOptions {
  /** `false` makes `isConfigured()` false, so the notifier skips Slack. @default true */
  enabled?: boolean;
  /** Per-attempt timeout, from 1 to 2^31 - 1 ms. @default 10000 */
  timeoutMs?: number;
  /**
   * Core retry policy (attempts, backoff, injectable `sleep`). Its `maxRetryAfterMs` is also the
   * longest a send waits for the rate limiter's hold after a 429. @default 3 attempts
   */
  retry?: RetryOptions;
  /**
   * Hosts accepted besides `hooks.slack.com`. Plain `http` is only accepted for a loopback host
   * listed here (tests). @default []
   */
  allowedHosts?: readonly string[];
  /** Per-webhook rate limit; `false` turns it off (benchmarks). @default { perSecond: 1, burst: 5 } */
  rateLimit?: RateLimitOptions | false;
  /** Clock for the rate limiter and Retry-After dates. @default Date.now */
  now?: () => number;
  /** A `fetch` for ky to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface VerifyWebhookResult {
  /** True when Slack knows the webhook (it answered 400 `no_text` to an empty payload). */
  live: boolean;
  status: number;
  /** Slack's error code, e.g. `no_text`, `no_service`, `channel_is_archived`; `''` for any other body. */
  error: string;
}

export interface SlackWebhookChannel extends Channel<SlackWebhookDelivery> {
  readonly kind: 'slack';
  /** Sends many deliveries with bounded concurrency; results in input order, never rejects. */
  sendBatch(
    items: Iterable<SlackWebhookDelivery> | AsyncIterable<SlackWebhookDelivery>,
    options?: BatchOptions,
  ): Promise<BatchResult<DeliveryReceipt>[]>;
  /**
   * Checks a webhook without posting anything to its channel: an empty payload gets 400 `no_text`
   * from a live webhook and 403/404/410 from a dead one.
   */
  verifyWebhook(webhookUrl: string, options?: { signal?: AbortSignal }): Promise<VerifyWebhookResult>;
}

/** A Slack channel over incoming webhooks: one channel serves every organization's webhooks. */
export function createSlackWebhookChannel(options: SlackWebhookChannelOptions = {}): SlackWebhookChannel {
  checkChannelOptions('Invalid Slack webhook channel options', options);
  const timeoutMs = options.timeoutMs ?? slackChannelDefaults.timeoutMs;
  const now = options.now ?? Date.now;
  const allowedHosts = options.allowedHosts ?? [];
  const limiter =
    options.rateLimit === false
      ? undefined
      : createRateLimiter(options.rateLimit ?? {}, {
          now,
          sleep: options.retry?.sleep,
          maxWaitMs: options.retry?.maxRetryAfterMs ?? retryDefaults.maxRetryAfterMs,
        });

  const check = (url: string) => checkUrl(url, 'webhookUrl', slackChannelDefaults.webhookHosts, allowedHosts);

  async function send(
    delivery: SlackWebhookDelivery,
    sendOptions: SendOptions = {},
  ): Promise<DeliveryReceipt> {
    const started = performance.now();
    const url = check(delivery.webhookUrl).href;
    const issues = validateSlackMessage(delivery.message);
    if (issues.length > 0) throw new SlackValidationError(issues);
    const target = redactUrl(url);
    const signal = sendOptions.signal ?? options.retry?.signal;
    let attempts = 0;
    // One limiter slot per delivery, taken before the first attempt: a retry is the same message,
    // so it waits for a hold (after a 429) but does not queue again behind the others.
    try {
      await limiter?.acquire(url, { signal, target });
    } catch (error) {
      if (isNotifyError(error)) error.attempts = 0;
      throw error;
    }
    await retry(
      async ({ attempt, signal: attemptSignal }) => {
        if (attempt > 1) await limiter?.resume(url, { signal: attemptSignal, target });
        attempts++;
        const response = await postJson(url, delivery.message, {
          timeoutMs,
          signal: attemptSignal,
          target,
          option: 'webhookUrl',
          fetch: options.fetch,
        });
        try {
          checkWebhookResponse(response, { target, nowMs: now() });
        } catch (error) {
          if (isNotifyError(error) && error.code === 'rate_limited' && error.retryAfterMs !== undefined) {
            limiter?.hold(url, error.retryAfterMs);
          }
          throw error;
        }
      },
      { ...options.retry, signal },
    );
    return { attempts, durationMs: Math.round(performance.now() - started) };
  }

  return {
    kind: 'slack',
    isConfigured: () => options.enabled !== false,
    send,
    sendBatch(items, batchOptions = {}) {
      return runBatch(items, (item) => send(item, { signal: batchOptions.signal }), {
        concurrency: slackChannelDefaults.concurrency,
        ...batchOptions,
      });
    },
    async verifyWebhook(webhookUrl, verifyOptions = {}) {
      const url = check(webhookUrl).href;
      const target = redactUrl(url);
      const response = await postJson(
        url,
        {},
        { timeoutMs, signal: verifyOptions.signal, target, option: 'webhookUrl', fetch: options.fetch },
      );
      const error = slackErrorCode(response.body) ?? '';
      if (response.status === 400 && error === 'no_text') return { live: true, status: 400, error };
      if ([403, 404, 410].includes(response.status)) return { live: false, status: response.status, error };
      throw new NotifyError(
        `Slack webhook answered ${response.status} to an empty payload; cannot tell whether it is live (${target})`,
        {
          code: response.status === 429 || response.status >= 500 ? 'transient' : 'permanent',
          retryable: response.status === 429 || response.status >= 500,
        },
      );
    },
  };
}
