import {
  type AlertEventType,
  type Channel,
  ConfigError,
  type DeliveryReceipt,
  isNotifyError,
  type NotifyError,
  type RetryOptions,
  type SendOptions,
} from '@pytake/notify-core';
import { checkSlackMessage } from './check-slack-message.js';
import { apiErrorCode, checkApiResponse } from './delivery/api-response.js';
import { checkChannelOptions } from './delivery/check-options.js';
import { checkUrl } from './delivery/check-url.js';
import { slackChannelDefaults } from './delivery/defaults.js';
import { createLimitedRetry } from './delivery/limited-retry.js';
import { postJson } from './delivery/post-json.js';
import type { RateLimitOptions } from './delivery/rate-limiter.js';
import type { SlackMessage } from './slack-message.js';
import { createMemoryThreadStore, type ThreadStore } from './thread-store.js';

/**
 * What the Web API channel sends: a message for one Slack channel id. With thread replies on,
 * `threadKey` (the alert id) groups an alert's messages in one thread, and `event: 'alert.resolved'` also
 * updates the parent message (with `parentUpdate`, or the message itself) so that the channel shows
 * the alert as resolved. Once the reply is posted the send succeeds even when Slack refuses that
 * edit for good (see `onParentUpdateFailed`).
 */
export interface SlackApiDelivery {
  /** Channel id, e.g. `C024BE91L`. */
  channel: string;
  message: SlackMessage;
  threadKey?: string;
  /** Thread this delivery (the tenant's `threadReplies`, as core's notifier passes it). @default the channel's `threadReplies` */
  thread?: boolean;
  event?: AlertEventType;
  /** What the parent becomes when the alert resolves. @default the message */
  parentUpdate?: SlackMessage;
}

/** Options of `createSlackApiChannel`. */
export interface SlackApiChannelOptions {
  /** Bot token (`xoxb-…`). Never appears in errors. */
  token: string;
  /** @default false */
  threadReplies?: boolean;
  /** @default createMemoryThreadStore() */
  threadStore?: ThreadStore;
  /** @default 'https://slack.com/api/' */
  baseUrl?: string;
  /** Hosts accepted besides slack.com (plain http only for loopback ones). @default [] */
  allowedHosts?: readonly string[];
  /** Per-attempt timeout, from 1 to 2^31 - 1 ms. @default 10000 */
  timeoutMs?: number;
  /** Core retry policy; its `maxRetryAfterMs` also bounds the wait for a rate-limit hold. */
  retry?: RetryOptions;
  /** Per-channel limit (Slack: about 1 message per second per channel). `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** @default Date.now */
  now?: () => number;
  /** The `fetch` to call Slack with. @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Called when a resolved alert's reply went out in its thread but Slack refused for good to edit
   * the parent (`message_not_found`: the parent was deleted; `cant_update_message`,
   * `edit_window_closed`; any error that is not retryable). The send still resolves with the reply's receipt, since the people were
   * told: log it here. An error thrown (or a promise rejected) here is ignored.
   */
  onParentUpdateFailed?: (failure: SlackParentUpdateFailure) => void;
}

/** A resolved alert whose reply was posted while the edit of its parent message failed for good. */
export interface SlackParentUpdateFailure {
  /** Channel id, e.g. `C024BE91L`. */
  channel: string;
  /** The delivery's `threadKey` (the alert id). */
  threadKey: string;
  /** The parent message, which still shows the alert as it was. */
  parentTs: string;
  /** The reply that was posted: the send's `providerId`. */
  replyTs: string | undefined;
  /** Slack's error code, e.g. `message_not_found`, when it gave one. */
  slackError: string | undefined;
  /** The error the edit failed with (not retryable), as `update()` would throw it. */
  error: NotifyError;
  /** The send's `idempotencyKey`, when it had one. */
  idempotencyKey: string | undefined;
}

/** What `update()` changes: the message `ts` in `channel`, replaced by `message`. */
export interface SlackApiUpdate {
  /** Channel id, e.g. `C024BE91L`. */
  channel: string;
  /** The message's `ts`, as `chat.postMessage` answered it (a send's `providerId`). */
  ts: string;
  message: SlackMessage;
}

/**
 * Posts alerts with a bot token through the Slack Web API (`chat.postMessage`), threads them and updates
 * them; made by `createSlackApiChannel`.
 */
export interface SlackApiChannel extends Channel<SlackApiDelivery> {
  readonly kind: 'slack-api';
  /**
   * Replaces a message this bot posted (`chat.update`), e.g. to show who acknowledged an alert and
   * drop the buttons that no longer apply. Same limiter, retries and errors as `send()`;
   * `message_not_found` and `cant_update_message` are permanent.
   */
  update(update: SlackApiUpdate, options?: SendOptions): Promise<DeliveryReceipt>;
}

/** A Slack channel over the Web API (`chat.postMessage`, `chat.update`), with thread replies. */
export function createSlackApiChannel(options: SlackApiChannelOptions): SlackApiChannel {
  if (typeof options?.token !== 'string' || !/^xox[a-z]-\S+$/.test(options.token)) {
    throw new ConfigError('Invalid Slack API channel options', [
      { path: 'token', message: 'expected a bot token starting with xoxb-' },
    ]);
  }
  checkChannelOptions('Invalid Slack API channel options', options);
  const { onParentUpdateFailed } = options;
  if (onParentUpdateFailed !== undefined && typeof onParentUpdateFailed !== 'function') {
    throw new ConfigError('Invalid Slack API channel options', [
      {
        path: 'onParentUpdateFailed',
        message: `expected a function, got ${JSON.stringify(onParentUpdateFailed) ?? String(onParentUpdateFailed)}`,
      },
    ]);
  }
  const { token } = options;
  const base = checkUrl(
    options.baseUrl ?? slackChannelDefaults.apiBaseUrl,
    'baseUrl',
    ['slack.com'],
    options.allowedHosts,
  ).href;
  const baseUrl = base.endsWith('/') ? base : `${base}/`;
  const timeoutMs = options.timeoutMs ?? slackChannelDefaults.timeoutMs;
  const now = options.now ?? Date.now;
  const store = options.threadStore ?? createMemoryThreadStore();
  const limitedRetry = createLimitedRetry({ ...options, now });
  const host = new URL(baseUrl).host;

  // One Web API call under the channel's limit (per channel id) and retry policy. `answer.slackError`
  // is Slack's error code in the last attempt's answer, when it gave one.
  async function call(
    method: string,
    body: Record<string, unknown>,
    key: string,
    sendOptions: SendOptions,
    answer: { slackError?: string } = {},
  ) {
    const { value, attempts } = await limitedRetry(
      key,
      `${host} ${method} to ${key}`,
      async (signal) => {
        answer.slackError = undefined;
        const response = await postJson(`${baseUrl}${method}`, body, {
          timeoutMs,
          signal,
          target: `${host} ${method}`,
          headers: { authorization: `Bearer ${token}` },
          fetch: options.fetch,
        });
        try {
          return checkApiResponse(method, response, { target: host, nowMs: now() });
        } catch (error) {
          answer.slackError = apiErrorCode(response);
          throw error;
        }
      },
      sendOptions,
    );
    return { body: value, attempts };
  }

  // Sends of one alert's thread go one after another: two events sent at once (created, then an
  // automatic escalation) would otherwise both find no parent and both post as the parent.
  const threadQueues = new Map<string, Promise<unknown>>();
  function inThreadOrder<T>(key: string | undefined, task: () => Promise<T>): Promise<T> {
    if (!key) return task();
    const run = (threadQueues.get(key) ?? Promise.resolve()).catch(() => {}).then(task);
    threadQueues.set(key, run);
    const forget = () => {
      if (threadQueues.get(key) === run) threadQueues.delete(key);
    };
    run.then(forget, forget);
    return run;
  }

  const reportParentUpdateFailed = (failure: SlackParentUpdateFailure) => {
    try {
      const reported: unknown = onParentUpdateFailed?.(failure);
      if (reported instanceof Promise) reported.catch(() => {});
    } catch {
      // A broken log hook must not turn a delivered reply into a failed send (and a retry).
    }
  };

  const checkChannel = (channel: unknown) => {
    if (typeof channel !== 'string' || !/^[CDGZ][A-Z0-9]{2,}$/.test(channel)) {
      throw new ConfigError('Invalid Slack delivery', [
        { path: 'channel', message: `expected a channel id like C024BE91L, got ${JSON.stringify(channel)}` },
      ]);
    }
  };

  return {
    kind: 'slack-api',
    isConfigured: () => true,
    async update(update: SlackApiUpdate, sendOptions: SendOptions = {}): Promise<DeliveryReceipt> {
      const started = performance.now();
      checkChannel(update?.channel);
      if (typeof update.ts !== 'string' || !/^\d+\.\d+$/.test(update.ts)) {
        throw new ConfigError('Invalid Slack update', [
          {
            path: 'ts',
            message: `expected a message ts like 1700000000.000100, got ${JSON.stringify(update.ts)}`,
          },
        ]);
      }
      checkSlackMessage(update.message);
      // thread_ts cannot be changed by chat.update: a message keeps its place.
      const { thread_ts: _, ...message } = update.message;
      const result = await call(
        'chat.update',
        { ...message, channel: update.channel, ts: update.ts },
        update.channel,
        sendOptions,
      );
      return {
        attempts: result.attempts,
        durationMs: Math.round(performance.now() - started),
        providerId: update.ts,
      };
    },
    async send(delivery: SlackApiDelivery, sendOptions: SendOptions = {}): Promise<DeliveryReceipt> {
      const started = performance.now();
      if (typeof delivery.channel !== 'string' || !/^[CDGZ][A-Z0-9]{2,}$/.test(delivery.channel)) {
        throw new ConfigError('Invalid Slack delivery', [
          {
            path: 'channel',
            message: `expected a channel id like C024BE91L, got ${JSON.stringify(delivery.channel)}`,
          },
        ]);
      }
      checkSlackMessage(delivery.message);
      // Checked before anything is posted: otherwise the reply would go out and only the update fail.
      if (delivery.parentUpdate !== undefined) checkSlackMessage(delivery.parentUpdate);
      const threaded = delivery.thread ?? options.threadReplies;
      const alertKey = threaded ? delivery.threadKey : undefined;
      const threadKey = alertKey ? `${delivery.channel}:${alertKey}` : undefined;
      return inThreadOrder(threadKey, async () => {
        const parentTs = threadKey ? await store.get(threadKey) : undefined;

        const updatesParent = parentTs !== undefined && delivery.event === 'alert.resolved';
        // When the reply went out but the edit of the parent failed in a way that may pass (429, 5xx,
        // timeout: the send fails and its caller retries it), a retry of the same delivery (same
        // idempotency key) must not post the reply again: remember it and only redo the edit.
        const postedKey =
          updatesParent && sendOptions.idempotencyKey
            ? `posted:${delivery.channel}:${sendOptions.idempotencyKey}`
            : undefined;
        let ts = postedKey ? await store.get(postedKey) : undefined;
        let attempts = 0;
        // Slack's reason when the parent could not be edited for good: a warning on the receipt.
        let parentUpdateFailed: string | undefined;
        if (ts === undefined) {
          const post = await call(
            'chat.postMessage',
            { ...delivery.message, channel: delivery.channel, ...(parentTs ? { thread_ts: parentTs } : {}) },
            delivery.channel,
            sendOptions,
          );
          ts = typeof post.body.ts === 'string' ? post.body.ts : undefined;
          attempts = post.attempts;
          if (threadKey && !parentTs && ts) await store.set(threadKey, ts);
          if (postedKey && ts) await store.set(postedKey, ts);
        }
        if (updatesParent && alertKey) {
          const { thread_ts: _, ...update } = delivery.parentUpdate ?? delivery.message;
          const answer: { slackError?: string } = {};
          try {
            const updated = await call(
              'chat.update',
              { ...update, channel: delivery.channel, ts: parentTs },
              delivery.channel,
              sendOptions,
              answer,
            );
            attempts += updated.attempts;
          } catch (error) {
            // The reply is posted: the people were told. An edit that failed for good (the parent was
            // deleted, or can no longer be edited) would fail the same way on every retry, so failing
            // the send would only put a delivered alert among the dead letters; it is reported and
            // the send resolves. An edit that may pass later (429, 5xx, timeout) still fails the send,
            // so that the caller retries it: with the same idempotency key the retry only redoes the
            // edit (above). An abort is the caller's, and stays one.
            if (!isNotifyError(error) || error.retryable || error.code === 'aborted') throw error;
            attempts += error.attempts ?? 0;
            parentUpdateFailed = answer.slackError ?? error.code;
            reportParentUpdateFailed({
              channel: delivery.channel,
              threadKey: alertKey,
              parentTs,
              replyTs: ts,
              slackError: answer.slackError,
              error,
              idempotencyKey: sendOptions.idempotencyKey,
            });
          }
        }
        const receipt: DeliveryReceipt = { attempts, durationMs: Math.round(performance.now() - started) };
        if (ts) receipt.providerId = ts;
        if (parentUpdateFailed)
          receipt.warnings = [{ code: 'parent_update_failed', message: parentUpdateFailed }];
        return receipt;
      });
    },
  };
}
