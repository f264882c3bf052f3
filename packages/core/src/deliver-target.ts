import { type Context, context } from '@opentelemetry/api';
import type { DeliveryReceipt, SendOptions } from './channel.js';
import { type Deadline, deadline, noDeadline } from './deadline.js';
import type { DeliveryRecord } from './delivery-record.js';
import { isNotifyError, NotifyError, toNotifyError } from './errors.js';
import type { AlertEvent } from './events.js';
import type { ClaimResult } from './idempotency.js';
import { deliveryKey, type PlannedTarget, routeSkip } from './plan-targets.js';
import { recordBase } from './records.js';
import { redactSecrets } from './redact.js';
import type { Routes } from './routes.js';

/**
 * How the delivery step keeps one notification effectively once. `notify()` backs it with an
 * `IdempotencyStore`; a queue worker with Redis, where a claim held elsewhere defers the job (its
 * `claim` throws) and the sent marker is written with the record in one command (no `complete`).
 */
export interface DeliveryClaims {
  /** Takes the key, or says who has it. A rejection ends the step, unless the signal aborted. */
  claim(key: string, signal: AbortSignal): Promise<ClaimResult>;
  /**
   * Waits for the outcome of a key held in flight by another delivery. Its own ceiling: the step's
   * deadline starts again once the key is ours. Without it, `in_flight` fails the delivery.
   */
  waitForOutcome?(key: string): Promise<ClaimResult | NotifyError>;
  /** Gives the key back after a failed send. Errors are ignored. */
  release(key: string, signal: AbortSignal): Promise<void>;
  /** Marks the key delivered. Errors are ignored: a delivered alert stays delivered. */
  complete?(key: string, signal: AbortSignal): Promise<void>;
}

/** What `deliverTarget` needs to take one target of one event through claim, render, send and record. */
export interface DeliverTargetOptions {
  event: AlertEvent;
  /** The tenant's secrets (`secretsOf()`): stripped from every error message that reaches the record. */
  secrets: readonly string[];
  routes: Routes<unknown>;
  /** The rendered content for the target's route (`notify()` renders once per route and event). */
  content(target: PlannedTarget): Promise<unknown>;
  /** Off (no claim, no mark) when absent. */
  claims?: DeliveryClaims;
  /** The key claimed and marked: a digest's own. @default deliveryKey(event, target) */
  idempotencyKey?: string;
  /** The longest claim, render and send may take; past it the record is `failed` with `timeout`. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Passed to the channel: a worker sends with `retry: false, rateLimit: false`. */
  send?: Pick<SendOptions, 'retry' | 'rateLimit' | 'onlyRecipients'>;
  /** Attempts made by earlier runs (a queue job's), counted in the record. @default 0 */
  attemptsBefore?: number;
  /** The delivery span's context: the channel runs in it, so that `retry()` adds its events there. */
  spanContext?: Context;
}

/** What the delivery step did with one target. */
export interface DeliveryOutcome {
  record: DeliveryRecord;
  /** Behind a `failed` record: with `retryable` and `retryAfterMs`, for a caller that retries. */
  error?: NotifyError;
  /** Behind a `delivered` or `partial` record (and its `deferred` recipients, with `retry: false`). */
  receipt?: DeliveryReceipt;
}

// A store call whose answer does not change the outcome: raced against the deadline, errors ignored.
const ask = (call: () => Promise<void>, limit: Deadline) =>
  limit.race(Promise.resolve().then(call)).catch(() => {});

/** The content addressed to the target: what its route's channel sends. */
function addressed(target: PlannedTarget, content: unknown): unknown {
  return target.route === 'email'
    ? { ...(content as object), ...target.address }
    : { ...target.address, message: content };
}

/**
 * The one delivery step, shared by `notify()` (every target of an event) and a queue worker (the
 * target its job names): takes one planned target through claim, render, send and record. Never
 * rejects for a failed send (the record says `failed`, with the error beside it); rejects only when
 * `claims.claim` rejects with something other than a NotifyError (a queue worker deferring its job).
 */
export async function deliverTarget(
  target: PlannedTarget,
  options: DeliverTargetOptions,
): Promise<DeliveryOutcome> {
  const { event, claims } = options;
  const before = options.attemptsBefore ?? 0;
  const base = { ...recordBase(event, target.route), target: target.display };
  const skip = target.skip ?? routeSkip(target.route, options.routes);
  if (skip) {
    return {
      record: { ...base, status: 'skipped', reason: skip, attempts: 0, durationMs: 0, at: new Date() },
    };
  }
  const route = options.routes[target.route]!;
  const idempotencyKey = options.idempotencyKey ?? deliveryKey(event, target);
  const timeoutMs = options.timeoutMs;
  const startLimit = (): Deadline =>
    timeoutMs === undefined
      ? noDeadline(options.signal)
      : deadline(
          timeoutMs,
          options.signal,
          () =>
            new NotifyError(
              `The delivery took longer than deliveryTimeoutMs (${timeoutMs} ms) and was stopped`,
              { code: 'timeout', retryable: true },
            ),
        );
  const started = performance.now();
  const failed = (error: NotifyError, attempts = error.attempts ?? 1): DeliveryOutcome => ({
    record: {
      ...base,
      status: 'failed',
      attempts: before + attempts,
      durationMs: Math.round(performance.now() - started),
      // A provider or transport error may quote the webhook URL or an address; records are logged.
      error: { code: error.code, message: redactSecrets(error.message, options.secrets) },
      idempotencyKey,
      at: new Date(),
    },
    error,
  });

  // Started before the claim, so that the claim counts against the deadline.
  let limit = startLimit();
  const stopped = (caught: unknown) => (limit.expired && limit.error ? limit.error : toNotifyError(caught));
  try {
    if (claims) {
      let state: ClaimResult | NotifyError;
      try {
        // Raced: a store that never answers (a client queueing commands while Redis is away)
        // cannot hold the delivery past its deadline.
        state = await limit.race(Promise.resolve().then(() => claims.claim(idempotencyKey, limit.signal)));
      } catch (caught) {
        if (limit.signal.aborted) return failed(stopped(caught), 0);
        // A NotifyError is the delivery's outcome (a store that answers nonsense); anything else is
        // the caller's own control flow (a queue job moved to delayed) and goes back to it.
        if (isNotifyError(caught)) return failed(caught, 0);
        throw caught;
      }
      if (state === 'in_flight') {
        if (!claims.waitForOutcome) {
          return failed(
            new NotifyError('Another delivery of this notification is in flight', {
              code: 'transient',
              retryable: true,
            }),
            0,
          );
        }
        // Waiting has its own ceiling; the delivery then gets its whole deadline.
        limit.clear();
        state = await claims.waitForOutcome(idempotencyKey);
        if (state === 'claimed') limit = startLimit();
      }
      if (state === 'delivered') {
        return {
          record: {
            ...base,
            status: 'duplicate',
            attempts: 0,
            durationMs: 0,
            idempotencyKey,
            at: new Date(),
          },
        };
      }
      if (isNotifyError(state)) return failed(state, 0);
    }

    let receipt: DeliveryReceipt;
    try {
      // Raced against the deadline: a channel that ignores its signal still ends here.
      const content = await limit.race(options.content(target));
      const send = () =>
        route.channel.send(addressed(target, content) as never, {
          ...options.send,
          // A digest's is its first event's: storm control sends the critical ones alone.
          severity: event.alert.severity,
          signal: limit.signal,
          idempotencyKey,
        });
      receipt = await limit.race(options.spanContext ? context.with(options.spanContext, send) : send());
    } catch (caught) {
      // Give the key back so that a later try of the same event may send it. Past the deadline the
      // call still goes out, but is not waited for.
      if (claims) await ask(() => claims.release(idempotencyKey, limit.signal), limit);
      return failed(stopped(caught));
    }
    if (claims?.complete) {
      const { complete } = claims;
      // A store that fails or hangs now must not turn a delivered alert into a failure.
      await ask(() => complete(idempotencyKey, limit.signal), limit);
    }
    const refused = receipt.refused?.length ? { refused: receipt.refused } : {};
    const warnings = receipt.warnings?.length
      ? {
          warnings: receipt.warnings.map((w) => ({
            code: w.code,
            message: redactSecrets(w.message, options.secrets),
          })),
        }
      : {};
    return {
      record: {
        ...base,
        status: receipt.refused?.length ? 'partial' : 'delivered',
        attempts: before + receipt.attempts,
        durationMs: receipt.durationMs,
        providerId: receipt.providerId,
        ...refused,
        ...warnings,
        idempotencyKey,
        at: new Date(),
      },
      receipt,
    };
  } finally {
    limit.clear();
  }
}
