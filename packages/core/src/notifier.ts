import { createHash } from 'node:crypto';
import { atLeastSeverity } from './alert.js';
import { runBatch } from './batch.js';
import type { Channel, DeliveryReceipt } from './channel.js';
import type { DeliveryRecord, DeliveryStatus, NotificationReport, SkipReason } from './delivery-record.js';
import { toNotifyError } from './errors.js';
import { type AlertEvent, type AlertEventInput, type AlertEventType, parseAlertEvent } from './events.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { asParsedAlertEvent } from './parsed-alert-event.js';
import { redactSecrets, redactUrl } from './redact.js';
import type { Recipient, TenantConfig, TenantDirectory } from './tenant.js';

/** What a template renders for email. */
export interface EmailContent {
  subject: string;
  html: string;
  text?: string;
}

/** What the email channel receives: the content addressed to one organization's recipients. */
export interface EmailDelivery extends EmailContent {
  to: Recipient[];
  cc?: Recipient[];
  bcc?: Recipient[];
  replyTo?: Recipient;
  /** The alert id: messages with the same key form one thread. */
  threadKey: string;
  /**
   * True for the message that starts the thread (the `alert.created` email): it takes the thread's
   * Message-ID, and later emails for the alert reply to it, so mail clients show one conversation.
   */
  threadRoot?: boolean;
}

/** What the Slack channel receives: one message for one webhook. */
export interface SlackDelivery<M = unknown> {
  webhookUrl: string;
  message: M;
  threadKey: string;
}

/**
 * What the Slack Web API channel receives: one message for one channel id. `thread` says whether the
 * tenant wants the alert's later events in the thread of its first message; `event` lets the channel
 * update that first message when the alert resolves.
 */
export interface SlackChannelDelivery<M = unknown> {
  channel: string;
  message: M;
  threadKey: string;
  thread: boolean;
  event: AlertEventType;
}

/** Joins a template (`render`) to a channel (`channel`) for one kind of delivery. */
export interface Route<Content, Delivery> {
  channel: Channel<Delivery>;
  render(event: AlertEvent, tenant: TenantConfig): Content | Promise<Content>;
}

export interface NotifierOptions<SlackMessage = unknown> {
  directory: TenantDirectory;
  routes: {
    email?: Route<EmailContent, EmailDelivery>;
    slack?: Route<SlackMessage, SlackDelivery<SlackMessage>>;
    /** Slack through the Web API, for the tenants' `slack.channels`. */
    slackApi?: Route<SlackMessage, SlackChannelDelivery<SlackMessage>>;
  };
  /** Duplicate suppression; `false` turns it off. @default in-memory store, 24 h TTL */
  idempotency?: false | { store?: IdempotencyStore; ttlMs?: number };
  /** Called for every record, for metrics and audit logs. Errors thrown here are ignored. */
  onDelivery?: (record: DeliveryRecord) => void;
  /** Targets delivered at once for one event. @default 8 */
  concurrency?: number;
}

export interface Notifier {
  /**
   * Delivers one event to every target its organization routes it to. Never rejects because a
   * delivery failed (see the report); rejects only with ValidationError for a malformed event.
   */
  notify(
    event: AlertEventInput | AlertEvent,
    options?: { signal?: AbortSignal },
  ): Promise<NotificationReport>;
}

export const notifierDefaults = { idempotencyTtlMs: 24 * 60 * 60 * 1000, concurrency: 8 } as const;

type RouteKind = 'email' | 'slack' | 'slackApi';
/** The `channel` of a record for each route: the kind of the channel that delivers it. */
const recordChannel = { email: 'email', slack: 'slack', slackApi: 'slack-api' } as const;

interface Target {
  route: RouteKind;
  display: string;
  /** Stable and secret-free: part of the idempotency key. */
  fingerprint: string;
  skip?: SkipReason;
  deliver?: (
    content: unknown,
    options: { signal?: AbortSignal; idempotencyKey?: string },
  ) => Promise<DeliveryReceipt>;
}

// Everything of a tenant config that must never reach a record: each webhook URL, and its path on
// its own, since an error message may quote either (`POST /services/T0/B0/xyz failed`).
function secretsOf(tenant: TenantConfig): string[] {
  return (tenant.slack?.webhooks ?? []).flatMap(({ url }) => {
    try {
      const { pathname, search } = new URL(url);
      return [url, `${pathname}${search}`];
    } catch {
      return [url];
    }
  });
}

const emailOf = (r: Recipient) => (typeof r === 'string' ? r : r.email);
const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/** What targets and records need of a tenant that does not depend on the event. */
interface TenantFacts {
  secrets: string[];
  emailDisplay: string;
  emailFingerprint: string;
  webhooks: { display: string; fingerprint: string }[];
  channels: { display: string; fingerprint: string }[];
}

// A directory usually hands back the same config object for an organization (a static directory
// always does; a cached database lookup too), so the URL parsing and hashing behind the records and
// idempotency keys is done once per config, not once per event. Configs are treated as immutable.
const tenantFacts = new WeakMap<TenantConfig, TenantFacts>();

function factsOf(tenant: TenantConfig): TenantFacts {
  let facts = tenantFacts.get(tenant);
  if (!facts) {
    const to = tenant.email?.to.map(emailOf) ?? [];
    facts = {
      secrets: secretsOf(tenant),
      emailDisplay: to.length > 1 ? `${to[0]} +${to.length - 1}` : (to[0] ?? ''),
      emailFingerprint: hash([...to].sort().join(',')),
      webhooks: (tenant.slack?.webhooks ?? []).map((webhook) => ({
        display: webhook.name ? `${webhook.name} (${redactUrl(webhook.url)})` : redactUrl(webhook.url),
        fingerprint: hash(webhook.url),
      })),
      channels: (tenant.slack?.channels ?? []).map((channel) => ({
        display: channel.name ? `${channel.name} (${channel.id})` : channel.id,
        fingerprint: channel.id,
      })),
    };
    tenantFacts.set(tenant, facts);
  }
  return facts;
}

function filtered(
  event: AlertEvent,
  filter: { minSeverity?: string; events?: readonly AlertEventType[] },
): boolean {
  if (filter.minSeverity && !atLeastSeverity(event.alert.severity, filter.minSeverity as never)) return true;
  return filter.events !== undefined && !filter.events.includes(event.type);
}

// The same order for every kind of target: switched off, then no route for it, then a channel that
// lacks configuration, then the target's own filters.
function skipReason(
  enabled: boolean,
  route: { channel: { isConfigured?(): boolean } } | undefined,
  event: AlertEvent,
  filter: { minSeverity?: string; events?: readonly AlertEventType[] },
): SkipReason | undefined {
  if (!enabled) return 'disabled';
  if (!route) return 'no_route';
  if (route.channel.isConfigured?.() === false) return 'not_configured';
  return filtered(event, filter) ? 'filtered' : undefined;
}

function targetsFor<S>(
  event: AlertEvent,
  tenant: TenantConfig,
  routes: NotifierOptions<S>['routes'],
): Target[] {
  const targets: Target[] = [];
  const threadKey = event.alert.id;
  const { email, slack } = tenant;
  const facts = factsOf(tenant);
  if (email) {
    const route = routes.email;
    targets.push({
      route: 'email',
      display: facts.emailDisplay,
      fingerprint: facts.emailFingerprint,
      skip: skipReason(email.enabled, route, event, email),
      deliver: route
        ? (content, options) =>
            route.channel.send(
              {
                ...(content as EmailContent),
                to: email.to,
                cc: email.cc,
                bcc: email.bcc,
                replyTo: email.replyTo,
                threadKey,
                threadRoot: event.type === 'alert.created',
              },
              options,
            )
        : undefined,
    });
  }
  if (slack) {
    const route = routes.slack;
    (slack.webhooks ?? []).forEach((webhook, i) => {
      const { display, fingerprint } = facts.webhooks[i]!;
      targets.push({
        route: 'slack',
        display,
        fingerprint,
        skip: skipReason(slack.enabled, route, event, webhook),
        deliver: route
          ? (content, options) =>
              route.channel.send({ webhookUrl: webhook.url, message: content as S, threadKey }, options)
          : undefined,
      });
    });
    const apiRoute = routes.slackApi;
    // `?? []`: a directory may hand back a config built by hand before `channels` existed.
    (slack.channels ?? []).forEach((channel, i) => {
      const { display, fingerprint } = facts.channels[i]!;
      targets.push({
        route: 'slackApi',
        display,
        fingerprint,
        skip: skipReason(slack.enabled, apiRoute, event, channel),
        deliver: apiRoute
          ? (content, options) =>
              apiRoute.channel.send(
                {
                  channel: channel.id,
                  message: content as S,
                  threadKey,
                  thread: slack.threadReplies === true,
                  event: event.type,
                },
                options,
              )
          : undefined,
      });
    });
  }
  return targets;
}

/** Creates the notifier that routes each event to each organization's recipients and webhooks. */
export function createNotifier<SlackMessage = unknown>(options: NotifierOptions<SlackMessage>): Notifier {
  const idempotency =
    options.idempotency === false
      ? undefined
      : {
          store: options.idempotency?.store ?? createMemoryIdempotencyStore(),
          ttlMs: options.idempotency?.ttlMs ?? notifierDefaults.idempotencyTtlMs,
        };
  const concurrency = options.concurrency ?? notifierDefaults.concurrency;

  const emit = (record: DeliveryRecord) => {
    try {
      options.onDelivery?.(record);
    } catch {
      // A broken metrics hook must not turn a delivered alert into a failed notify().
    }
  };

  async function notify(input: AlertEventInput | AlertEvent, notifyOptions: { signal?: AbortSignal } = {}) {
    const event = asParsedAlertEvent(input) ?? parseAlertEvent(input);
    const { alert } = event;
    const base = { organizationId: alert.organizationId, alertId: alert.id, eventType: event.type };
    // One record per routed channel kind, for outcomes that concern the whole organization.
    const organizationWide = (
      fields: Pick<DeliveryRecord, 'status' | 'reason' | 'error'>,
    ): DeliveryRecord[] =>
      (['email', 'slack', 'slackApi'] as const)
        .filter((kind) => options.routes[kind])
        .map((kind) => ({
          ...base,
          channel: recordChannel[kind],
          target: '-',
          ...fields,
          attempts: 0,
          durationMs: 0,
          at: new Date(),
        }));

    let tenant: TenantConfig | undefined;
    let records: DeliveryRecord[];
    try {
      tenant = await options.directory.get(alert.organizationId);
    } catch (caught) {
      // A directory outage is a delivery failure like any other: it goes in the report, and notify()
      // keeps its promise of rejecting only for a malformed event.
      const error = toNotifyError(caught, 'transient');
      records = organizationWide({ status: 'failed', error: { code: error.code, message: error.message } });
    }
    if (tenant === undefined) {
      records ??= organizationWide({ status: 'skipped', reason: 'unknown_organization' });
      records.forEach(emit);
    } else {
      const { secrets } = factsOf(tenant);
      // Render once per channel kind, shared by every target of that kind, and only when needed.
      const rendered = new Map<RouteKind, Promise<unknown>>();
      const render = (kind: RouteKind) => {
        let content = rendered.get(kind);
        if (!content) {
          const route = options.routes[kind]!;
          content = Promise.resolve().then(() => route.render(event, tenant));
          rendered.set(kind, content);
        }
        return content;
      };
      const eventKey = `${alert.organizationId}:${alert.id}:${event.type}@${event.occurredAt.toISOString()}`;

      const deliverTo = async (target: Target): Promise<DeliveryRecord> => {
        const channel = recordChannel[target.route];
        const record = { ...base, channel, target: target.display, at: new Date() };
        if (target.skip || !target.deliver) {
          return {
            ...record,
            status: 'skipped',
            reason: target.skip ?? 'no_route',
            attempts: 0,
            durationMs: 0,
          };
        }
        const idempotencyKey = `${eventKey}:${channel}:${target.fingerprint}`;
        let claimed = true;
        try {
          claimed = idempotency ? await idempotency.store.claim(idempotencyKey, idempotency.ttlMs) : true;
        } catch {
          // The store is down (a Redis outage, say): deliver anyway. An alert sent twice is better
          // than an alert nobody hears about.
        }
        if (!claimed) return { ...record, status: 'duplicate', attempts: 0, durationMs: 0, idempotencyKey };
        const started = performance.now();
        try {
          const receipt = await target.deliver(await render(target.route), {
            signal: notifyOptions.signal,
            idempotencyKey,
          });
          return {
            ...record,
            status: 'delivered',
            attempts: receipt.attempts,
            durationMs: receipt.durationMs,
            providerId: receipt.providerId,
            idempotencyKey,
          };
        } catch (caught) {
          // Give the key back so that a later try of the same event may send it.
          if (idempotency) await Promise.resolve(idempotency.store.release(idempotencyKey)).catch(() => {});
          const error = toNotifyError(caught);
          return {
            ...record,
            status: 'failed',
            attempts: error.attempts ?? 1,
            durationMs: Math.round(performance.now() - started),
            // A provider or transport error may quote the webhook URL; records are logged, so strip it.
            error: { code: error.code, message: redactSecrets(error.message, secrets) },
            idempotencyKey,
          };
        }
      };
      const targets = targetsFor(event, tenant, options.routes);
      // With no more targets than `concurrency` (the usual case) all of them run at once anyway, so
      // plain Promise.all does it without runBatch's workers and iterator.
      records =
        targets.length <= concurrency
          ? await Promise.all(targets.map(deliverTo))
          : (await runBatch(targets, deliverTo, { concurrency })).map((r) =>
              r.ok ? r.value : unreachable(r.error),
            );
      records.forEach(emit);
    }

    const summary: Record<DeliveryStatus, number> = { delivered: 0, failed: 0, skipped: 0, duplicate: 0 };
    for (const r of records) summary[r.status]++;
    return { ...base, records, summary };
  }

  return { notify };
}

// The task above catches everything; a rejected item would be a bug in this file.
function unreachable(error: unknown): never {
  throw error;
}
