import { type Agent, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  type BatchOptions,
  type BatchResult,
  type Channel,
  ConfigError,
  type DeliveryReceipt,
  type RetryOptions,
  redactUrl,
  runBatch,
  type SendOptions,
} from '@pytake/notify-core';
import { checkSlackMessage } from './check-slack-message.js';
import { checkChannelOptions } from './delivery/check-options.js';
import { checkUrl } from './delivery/check-url.js';
import { slackChannelDefaults } from './delivery/defaults.js';
import { httpFailure } from './delivery/http-failure.js';
import { createLimitedRetry } from './delivery/limited-retry.js';
import { postWebhook, type WebhookTarget } from './delivery/post-webhook.js';
import type { RateLimitOptions } from './delivery/rate-limiter.js';
import { slackErrorCode } from './delivery/slack-error-code.js';
import { checkWebhookResponse } from './delivery/webhook-response.js';
import type { SlackMessage } from './slack-message.js';

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

/** Options of `createSlackWebhookChannel`. */
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
  /** Per-webhook rate limit; `false` turns it off (benchmarks). @default `{ perSecond: 1, burst: 5 }` */
  rateLimit?: RateLimitOptions | false;
  /** Clock for the rate limiter and Retry-After dates. @default Date.now */
  now?: () => number;
  /**
   * The keep-alive agent every post goes through: an `https.Agent` for Slack's https URLs (an
   * `http.Agent` only serves plain-http loopback hosts listed in `allowedHosts`, in tests). Pass one
   * to set socket limits, a proxy agent or TLS options; it is the caller's to `destroy()`.
   * @default one keep-alive agent per channel, per protocol (`keepAlive: true`)
   */
  agent?: Agent;
}

/**
 * The answer of `SlackWebhookChannel.verifyWebhook`: whether Slack knows the webhook, with its HTTP status
 * and error code.
 */
export interface VerifyWebhookResult {
  /** True when Slack knows the webhook (it answered 400 `no_text` to an empty payload). */
  live: boolean;
  status: number;
  /** Slack's error code, e.g. `no_text`, `no_service`, `channel_is_archived`; `''` for any other body. */
  error: string;
}

/**
 * Posts alerts to Slack incoming webhooks, with a rate limit per webhook and retries; made by
 * `createSlackWebhookChannel`.
 */
export interface SlackWebhookChannel extends Channel<SlackWebhookDelivery> {
  readonly kind: 'slack';
  /** Sends many deliveries with bounded concurrency; results in input order. Never rejects for a failed delivery; a bad `concurrency` (NaN, below 1) rejects with ConfigError. */
  sendBatch(
    items: Iterable<SlackWebhookDelivery> | AsyncIterable<SlackWebhookDelivery>,
    options?: BatchOptions,
  ): Promise<BatchResult<DeliveryReceipt>[]>;
  /**
   * Checks a webhook without posting anything to its channel: an empty payload gets 400 `no_text`
   * from a live webhook and 403/404/410 from a dead one.
   */
  verifyWebhook(webhookUrl: string, options?: { signal?: AbortSignal }): Promise<VerifyWebhookResult>;
  /**
   * Closes the idle keep-alive connections of the channel's own agent (an injected `agent` is left
   * alone). Idle sockets never keep the process alive, so this is only for tidy shutdowns and tests.
   */
  close(): void;
}

// Parsed webhook targets kept per URL, so that a post does not parse and redact the same URL again.
// Cleared when full: a service with more live webhooks than this only pays the parse again.
const TARGET_CACHE_SIZE = 1000;

function checkAgent(options: SlackWebhookChannelOptions): void {
  if ('fetch' in options && (options as { fetch?: unknown }).fetch !== undefined) {
    throw new ConfigError('Invalid Slack webhook channel options', [
      {
        path: 'fetch',
        message:
          'not supported: the webhook channel posts with node:https on a keep-alive agent; pass `agent` (an https.Agent) to change how it connects',
      },
    ]);
  }
  const { agent } = options;
  if (agent !== undefined && typeof (agent as { addRequest?: unknown })?.addRequest !== 'function') {
    throw new ConfigError('Invalid Slack webhook channel options', [
      { path: 'agent', message: 'expected an http.Agent or https.Agent' },
    ]);
  }
}

/** A Slack channel over incoming webhooks: one channel serves every organization's webhooks. * @example
 * ```ts
 * import { createSlackWebhookChannel, slackMessage } from '@pytake/notify-slack';
 *
 * const slack = createSlackWebhookChannel();
 * await slack.send({
 *   webhookUrl: process.env.SLACK_WEBHOOK_URL!,
 *   message: slackMessage({ text: 'Disk almost full on db-1', blocks: [] }),
 * });
 * ```
 */
export function createSlackWebhookChannel(options: SlackWebhookChannelOptions = {}): SlackWebhookChannel {
  checkChannelOptions('Invalid Slack webhook channel options', options);
  checkAgent(options);
  const timeoutMs = options.timeoutMs ?? slackChannelDefaults.timeoutMs;
  const now = options.now ?? Date.now;
  const allowedHosts = options.allowedHosts ?? [];
  const limitedRetry = createLimitedRetry({ ...options, now });

  const own: { 'http:'?: Agent; 'https:'?: Agent } = {};
  // One keep-alive agent per channel (per protocol: plain http only ever serves loopback tests).
  function agentFor(to: WebhookTarget): Agent {
    const given = options.agent;
    if (given) {
      const protocol = (given as { protocol?: unknown }).protocol;
      if (typeof protocol === 'string' && protocol !== to.protocol) {
        throw new ConfigError('Refused webhookUrl', [
          {
            path: 'agent',
            message: `the agent speaks ${protocol} but the webhook URL is ${to.protocol} (${to.target}): pass an ${to.protocol === 'https:' ? 'https' : 'http'}.Agent`,
          },
        ]);
      }
      return given;
    }
    own[to.protocol] ??=
      to.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    return own[to.protocol] as Agent;
  }
  const targets = new Map<string, WebhookTarget & { href: string }>();
  function check(webhookUrl: string): WebhookTarget & { href: string } {
    const cached = typeof webhookUrl === 'string' ? targets.get(webhookUrl) : undefined;
    if (cached) return cached;
    const url = checkUrl(webhookUrl, 'webhookUrl', slackChannelDefaults.webhookHosts, allowedHosts);
    const to = {
      protocol: url.protocol === 'http:' ? ('http:' as const) : ('https:' as const),
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
      path: `${url.pathname}${url.search}`,
      href: url.href,
      target: redactUrl(url.href),
    };
    if (targets.size >= TARGET_CACHE_SIZE) targets.clear();
    if (typeof webhookUrl === 'string') targets.set(webhookUrl, to);
    return to;
  }

  async function send(
    delivery: SlackWebhookDelivery,
    sendOptions: SendOptions = {},
  ): Promise<DeliveryReceipt> {
    const started = performance.now();
    const to = check(delivery.webhookUrl);
    const agent = agentFor(to);
    checkSlackMessage(delivery.message);
    const { target } = to;
    const body = JSON.stringify(delivery.message);
    const { attempts } = await limitedRetry(
      to.href,
      target,
      async (signal) => {
        const response = await postWebhook(to, body, { agent, timeoutMs, signal });
        checkWebhookResponse(response, { target, option: 'webhookUrl', nowMs: now() });
      },
      sendOptions,
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
      const to = check(webhookUrl);
      const { target } = to;
      const response = await postWebhook(to, '{}', {
        agent: agentFor(to),
        timeoutMs,
        signal: verifyOptions.signal,
      });
      const error = slackErrorCode(response.body) ?? '';
      if (response.status === 400 && error === 'no_text') return { live: true, status: 400, error };
      if ([403, 404, 410].includes(response.status)) return { live: false, status: response.status, error };
      // Anything else cannot tell: an error classified as a send's would be (a 429 is rate_limited).
      throw httpFailure({
        target,
        option: 'webhookUrl',
        nowMs: now(),
        response,
        slackError: response.body,
        message: () =>
          `Slack webhook answered ${response.status} to an empty payload; cannot tell whether it is live (${target})`,
      });
    },
    close() {
      own['http:']?.destroy();
      own['https:']?.destroy();
      delete own['http:'];
      delete own['https:'];
    },
  };
}
