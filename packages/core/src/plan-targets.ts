import { createHash } from 'node:crypto';
import { atLeastSeverity } from './alert.js';
import type { DeliveryReceipt } from './channel.js';
import type { SkipReason } from './delivery-record.js';
import type { AlertEvent, AlertEventType } from './events.js';
import { redactAddress, redactUrl } from './redact.js';
import { type EmailContent, type RouteKind, type Routes, recordChannel } from './routes.js';
import { checkTenantConfig, type Recipient, type TenantConfig } from './tenant.js';

/**
 * One place an event may go for one organization: an email target, a webhook or a Slack channel.
 * `skip` says why it will not be sent; otherwise `deliver` sends rendered content to it.
 */
export interface PlannedTarget {
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
// its own, since an error message may quote either (`POST /services/T0/B0/xyz failed`); and every
// recipient address, since SMTP servers quote the mailbox they refuse (`451 <ops@acme.com>: ...`).
export function secretsOf(tenant: TenantConfig): string[] {
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
const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/** What targets and records need of a tenant that does not depend on the event. */
export interface TenantFacts {
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

export function factsOf(tenant: TenantConfig): TenantFacts {
  let facts = tenantFacts.get(tenant);
  if (!facts) {
    const to = tenant.email?.to.map(emailOf) ?? [];
    facts = {
      secrets: secretsOf(tenant),
      // Addresses are personal data and records are logged: `o…@acme.com +2`.
      emailDisplay:
        to.length > 1 ? `${redactAddress(to[0]!)} +${to.length - 1}` : to[0] ? redactAddress(to[0]) : '',
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

/**
 * Which targets of `tenant` an event goes to, and which are skipped and why: the routing rules that
 * `notify()` and the queue's workers share. `tenant` is what the directory returned: it is validated
 * once per object (`checkTenantConfig`), so a bad database row is a ConfigError naming the field,
 * never a TypeError.
 * @throws ConfigError for a tenant config that does not pass `tenantConfigSchema`.
 */
export function planTargets<S>(event: AlertEvent, row: TenantConfig, routes: Routes<S>): PlannedTarget[] {
  const tenant = checkTenantConfig(row);
  const targets: PlannedTarget[] = [];
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
                listUnsubscribe: email.unsubscribeUrl,
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

// `%` and `:` percent-encoded, so that no part can contain the separator: org `acme` with alert
// `eu:db-down` and org `acme:eu` with alert `db-down` must not share a key (the second alert would
// be dropped as a duplicate). Decoding is unambiguous, so distinct parts give distinct keys.
const keyPart = (part: string) => part.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));

/**
 * The identity of one notification: the same organization, alert, event, channel and target.
 * `org:alert:event@occurredAt:channel:fingerprint`, each part with `%` and `:` percent-encoded.
 */
export function deliveryKey(event: AlertEvent, target: Pick<PlannedTarget, 'route' | 'fingerprint'>): string {
  const { alert } = event;
  return [
    alert.organizationId,
    alert.id,
    `${event.type}@${event.occurredAt.toISOString()}`,
    recordChannel[target.route],
    target.fingerprint,
  ]
    .map(keyPart)
    .join(':');
}
