import { atLeastSeverity } from './alert.js';
import type { SkipReason } from './delivery-record.js';
import type { AlertEvent, AlertEventType } from './events.js';
import { redactAddress, redactUrl } from './redact.js';
import {
  type EmailContent,
  type EmailDelivery,
  type RouteKind,
  type Routes,
  recordChannel,
  type SlackChannelDelivery,
  type SlackDelivery,
} from './routes.js';
import { digestOf, EMAIL_TARGET_ID, webhookTargetId } from './target-id.js';
import { checkTenantConfig, type Recipient, type TenantConfig } from './tenant.js';

/** Where one target's message goes, without its content: what a route's channel needs besides it. */
export type TargetAddress =
  | { route: 'email'; address: Omit<EmailDelivery, keyof EmailContent> }
  | { route: 'slack'; address: Omit<SlackDelivery, 'message'> }
  | { route: 'slackApi'; address: Omit<SlackChannelDelivery, 'message'> };

/**
 * One place an event may go for one organization: the organization's email, a webhook or a Slack
 * channel, as data. `skip` says why it will not be sent; otherwise `deliverTarget()` sends to
 * `address`. Holds the address in memory only: what is stored (job data, keys, records) is the
 * route, `targetId` and `display`.
 */
export type PlannedTarget = TargetAddress & {
  /** The target's stable identity within its organization (`email`, a webhook's id or name, a channel id). */
  targetId: string;
  /** Safe to log: `o…@acme.com +2`, `ops (hooks.slack.com/…a1b2)`, `alerts (C024BE91L)`. */
  display: string;
  /**
   * Secret-free and stable for the current address: a digest of the webhook URL or of the sorted
   * recipients, or the channel id. What a rate limit of the destination is keyed by.
   */
  destination: string;
  skip?: SkipReason;
};

/**
 * Everything of a tenant config that must never reach a record: each webhook URL, and its path on
 * its own, since an error message may quote either (`POST /services/T0/B0/xyz failed`); and every
 * recipient address, since SMTP servers quote the mailbox they refuse (`451 <ops@acme.com>: ...`).
 * Computed once per config object.
 */
export const secretsOf = (tenant: TenantConfig): string[] => factsOf(tenant).secrets;

function collectSecrets(tenant: TenantConfig): string[] {
  const hooks = (tenant.slack?.webhooks ?? []).flatMap(({ url }) => {
    try {
      const { pathname, search } = new URL(url);
      return [url, `${pathname}${search}`];
    } catch {
      return [url];
    }
  });
  const { email } = tenant;
  const recipients = email
    ? [...email.to, ...(email.cc ?? []), ...(email.bcc ?? []), ...(email.replyTo ? [email.replyTo] : [])]
    : [];
  return [...hooks, ...recipients.map(emailOf)];
}

const emailOf = (r: Recipient) => (typeof r === 'string' ? r : r.email);

interface TargetFacts {
  targetId: string;
  display: string;
  destination: string;
}

/** What targets and records need of a tenant that does not depend on the event. */
export interface TenantFacts {
  secrets: string[];
  email: TargetFacts;
  webhooks: TargetFacts[];
  channels: TargetFacts[];
}

// A directory usually hands back the same config object for an organization (a static directory
// always does; a cached database lookup too), so the URL parsing and hashing behind the records and
// idempotency keys is done once per config, not once per event. Configs are treated as immutable.
const tenantFacts = new WeakMap<TenantConfig, TenantFacts>();

export function factsOf(tenant: TenantConfig): TenantFacts {
  let facts = tenantFacts.get(tenant);
  if (!facts) {
    const to = tenant.email?.to.map(emailOf) ?? [];
    facts = {
      secrets: collectSecrets(tenant),
      email: {
        targetId: EMAIL_TARGET_ID,
        // Addresses are personal data and records are logged: `o…@acme.com +2`.
        display:
          to.length > 1 ? `${redactAddress(to[0]!)} +${to.length - 1}` : to[0] ? redactAddress(to[0]) : '',
        destination: digestOf([...to].sort().join(',')),
      },
      webhooks: (tenant.slack?.webhooks ?? []).map((webhook) => ({
        targetId: webhookTargetId(webhook),
        display: webhook.name ? `${webhook.name} (${redactUrl(webhook.url)})` : redactUrl(webhook.url),
        destination: digestOf(webhook.url),
      })),
      channels: (tenant.slack?.channels ?? []).map((channel) => ({
        targetId: channel.id,
        display: channel.name ? `${channel.name} (${channel.id})` : channel.id,
        destination: channel.id,
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

/**
 * Why a target is not sent, in the same order for every kind of target: switched off, then no
 * route for it, then a channel that lacks configuration, then the target's own filters. Without
 * `routes` (a queue planning for every worker) only the tenant's own reasons count; the worker that
 * delivers asks about its route.
 */
function skipReason(
  enabled: boolean,
  kind: RouteKind,
  routes: Routes<unknown> | undefined,
  event: AlertEvent,
  filter: { minSeverity?: string; events?: readonly AlertEventType[] },
): SkipReason | undefined {
  if (!enabled) return 'disabled';
  if (routes) {
    const skip = routeSkip(kind, routes);
    if (skip) return skip;
  }
  return filtered(event, filter) ? 'filtered' : undefined;
}

/** Why a route cannot send at all: none of this kind, or its channel lacks configuration. */
export function routeSkip(kind: RouteKind, routes: Routes<unknown>): SkipReason | undefined {
  const route = routes[kind];
  if (!route) return 'no_route';
  return route.channel.isConfigured?.() === false ? 'not_configured' : undefined;
}

function emailTarget(
  event: AlertEvent,
  tenant: TenantConfig,
  routes: Routes<unknown> | undefined,
): PlannedTarget | undefined {
  const { email } = tenant;
  if (!email) return undefined;
  return {
    route: 'email',
    ...factsOf(tenant).email,
    skip: skipReason(email.enabled, 'email', routes, event, email),
    address: {
      to: email.to,
      cc: email.cc,
      bcc: email.bcc,
      replyTo: email.replyTo,
      listUnsubscribe: email.unsubscribeUrl,
      threadKey: event.alert.id,
      threadRoot: event.type === 'alert.created',
    },
  };
}

// A webhook (`slack`) or a Web API channel (`slackApi`): the `i`-th of its list in the tenant.
function slackTarget(
  event: AlertEvent,
  tenant: TenantConfig,
  route: 'slack' | 'slackApi',
  i: number,
  routes: Routes<unknown> | undefined,
): PlannedTarget {
  const slack = tenant.slack!;
  const threadKey = event.alert.id;
  if (route === 'slack') {
    const webhook = slack.webhooks[i]!;
    return {
      route,
      ...factsOf(tenant).webhooks[i]!,
      skip: skipReason(slack.enabled, route, routes, event, webhook),
      address: { webhookUrl: webhook.url, threadKey },
    };
  }
  const channel = slack.channels[i]!;
  return {
    route,
    ...factsOf(tenant).channels[i]!,
    skip: skipReason(slack.enabled, route, routes, event, channel),
    address: { channel: channel.id, threadKey, thread: slack.threadReplies === true, event: event.type },
  };
}

/**
 * Which targets of `tenant` an event goes to, and which are skipped and why: the routing rules that
 * `notify()` and the queue's workers share. With `routes`, a target whose route is missing or not
 * configured is skipped (`no_route`, `not_configured`); without, planning is the same whichever
 * process plans. `tenant` is what the directory returned: it is validated once per object
 * (`checkTenantConfig`), so a bad database row is a ConfigError naming the field, never a TypeError.
 * @throws ConfigError for a tenant config that does not pass `tenantConfigSchema`.
 */
export function planTargets(event: AlertEvent, row: TenantConfig, routes?: Routes<unknown>): PlannedTarget[] {
  const tenant = checkTenantConfig(row);
  const targets: PlannedTarget[] = [];
  const email = emailTarget(event, tenant, routes);
  if (email) targets.push(email);
  // `?.length`: a directory may hand back a config built by hand before `channels` existed.
  const webhooks = tenant.slack?.webhooks.length ?? 0;
  for (let i = 0; i < webhooks; i++) targets.push(slackTarget(event, tenant, 'slack', i, routes));
  const channels = tenant.slack?.channels?.length ?? 0;
  for (let i = 0; i < channels; i++) targets.push(slackTarget(event, tenant, 'slackApi', i, routes));
  return targets;
}

/**
 * The one target of `tenant` named by its route and stable identity, planned as `planTargets()`
 * would plan it, without planning the others: what a queue worker resolves for the job it holds,
 * from the tenant's current config (a rotated webhook URL, a changed recipient list). `undefined`
 * when the tenant no longer has that target.
 * @throws ConfigError for a tenant config that does not pass `tenantConfigSchema`.
 */
export function resolveTarget(
  event: AlertEvent,
  row: TenantConfig,
  route: RouteKind,
  targetId: string,
  routes?: Routes<unknown>,
): PlannedTarget | undefined {
  const tenant = checkTenantConfig(row);
  const facts = factsOf(tenant);
  if (route === 'email') return targetId === EMAIL_TARGET_ID ? emailTarget(event, tenant, routes) : undefined;
  const list = route === 'slack' ? facts.webhooks : facts.channels;
  const i = list.findIndex((t) => t.targetId === targetId);
  if (i < 0) return undefined;
  return slackTarget(event, tenant, route, i, routes);
}

// `%` and `:` percent-encoded, so that no part can contain the separator: org `acme` with alert
// `eu:db-down` and org `acme:eu` with alert `db-down` must not share a key (the second alert would
// be dropped as a duplicate). Decoding is unambiguous, so distinct parts give distinct keys.
const needsEncoding = /[%:]/;
const keyPart = (part: string) =>
  needsEncoding.test(part) ? part.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A')) : part;

// The event's part of its keys, built once per event (every target of it shares it), and checked
// against the event's fields each time, so that an event object changed in place gets a new one.
const eventKeys = new WeakMap<AlertEvent, { of: string; time: number; key: string }>();

/**
 * The identity of one notification: the same organization, alert, event, channel and target.
 * `org:alert:event@occurredAt:channel:targetId`, each part with `%` and `:` percent-encoded.
 */
export function deliveryKey(event: AlertEvent, target: Pick<PlannedTarget, 'route' | 'targetId'>): string {
  const { alert } = event;
  const of = `${alert.organizationId}\u0000${alert.id}\u0000${event.type}`;
  const time = event.occurredAt.getTime();
  let cached = eventKeys.get(event);
  if (cached === undefined || cached.of !== of || cached.time !== time) {
    const key = [alert.organizationId, alert.id, `${event.type}@${event.occurredAt.toISOString()}`]
      .map(keyPart)
      .join(':');
    cached = { of, time, key };
    eventKeys.set(event, cached);
  }
  return `${cached.key}:${keyPart(recordChannel[target.route])}:${keyPart(target.targetId)}`;
}

/**
 * The identity of one digest's delivery: `org:digest:digestId:channel:targetId`, encoded like
 * `deliveryKey()`. A digest is sent once per target, whichever of its events is retried.
 */
export function digestDeliveryKey(
  organizationId: string,
  digestId: string,
  target: Pick<PlannedTarget, 'route' | 'targetId'>,
): string {
  return [organizationId, 'digest', digestId, recordChannel[target.route], target.targetId]
    .map(keyPart)
    .join(':');
}
