import {
  type AlertEvent,
  type Channel,
  createNotifier,
  type DeliveryRecord,
  type EmailContent,
  type EmailDelivery,
  type NotificationReport,
  type Notifier,
  type Route,
  type SlackDelivery,
  type TenantConfig,
} from '@pytake/notify-core';
import type { SlackApiChannel, SlackMessage } from '@pytake/notify-slack';
import { alertStoreDefaults } from './alert-store.js';
import { createBoundedMap } from './bounded-map.js';
import { previewDefaults } from './defaults.js';
import type { DeliveryDetails } from './delivery-sink.js';
import type { PreviewTemplates } from './preview-templates.js';
import type { QueueMode } from './queue-mode.js';
import { previewRoutes } from './render-preview.js';
import { type RequestShape, requestShape, type requestTenants, subjectOf } from './request-shape.js';
import type { SendTargets } from './send-targets.js';
import { slackApiRoute } from './slack-api-route.js';

type SlackChannel = Channel<SlackDelivery<SlackMessage>>;

export interface DeliverOptions {
  /** The email channel of every send. */
  email: Channel<EmailDelivery>;
  /** The preview's own webhook. */
  slack: SlackChannel;
  /** For a typed URL of the embedded receiver. */
  embeddedSlack: SlackChannel;
  /** For any other typed webhook URL: hooks.slack.com only. */
  typedSlack: SlackChannel;
  templates: PreviewTemplates;
  /** The Web API channel of the preview organization's tenant config. */
  tenantChannel: { id: string; name?: string };
  tenantOf: ReturnType<typeof requestTenants>['tenantOf'];
  /** The fake Slack's Web API, for the shared notifier; undefined while the port is unknown. */
  fakeSlackApi(): SlackApiChannel | undefined;
  /** The queue, when the app sends through it. */
  queue(): QueueMode | undefined;
  /** Records an event about to be sent (the console, the alert store) and returns its entry id. */
  recordEvent(event: AlertEvent, context: { locale?: string; timeZone?: string }): string;
  onDelivery(record: DeliveryRecord, details: DeliveryDetails): void;
  /** A record as an answer may show it. */
  safeRecord(record: DeliveryRecord, extra: readonly (string | undefined)[]): DeliveryRecord;
}

export interface Deliver {
  /**
   * Send test and POST /api/notify: the event (or each event of a digest, as a burst) goes through a
   * notifier (or the queue) and into the console.
   */
  (body: unknown, targets?: SendTargets, api?: SlackApiChannel): Promise<object>;
  /** Sends the storm digests the shared notifier holds. */
  close(): Promise<void>;
}

/** The send path of the app: its notifiers, the one shared by the preview's own targets, and the queue. */
export function createDeliver(options: DeliverOptions): Deliver {
  const { templates, tenantChannel } = options;
  // The console entry of each record: the latest entry of its alert and event type. A digest's
  // records come from the notifier's timer, long after the send that folded their events returned.
  // The subject of each rendered email is kept the same way, for the console's alert page.
  const entries = createBoundedMap<string, string>(previewDefaults.deliveryLogSize);
  const subjects = createBoundedMap<string, string>(previewDefaults.deliveryLogSize);
  const keyOf = (r: { alertId: string; eventType: string }) => `${r.alertId}|${r.eventType}`;
  const eventKey = (event: AlertEvent) => keyOf({ alertId: event.alert.id, eventType: event.type });

  const recordEntry = (event: AlertEvent, context: { locale?: string; timeZone?: string }) => {
    const entryId = options.recordEvent(event, context);
    entries.set(eventKey(event), entryId);
    return entryId;
  };
  // The email route, remembering the subject it rendered for each event (each event of a digest).
  const rememberSubjects = (
    route: Route<EmailContent, EmailDelivery>,
  ): Route<EmailContent, EmailDelivery> => {
    const { render, renderDigest } = route;
    return {
      ...route,
      render: async (event, tenant, context) => {
        const content = await render(event, tenant, context);
        subjects.set(eventKey(event), content.subject);
        return content;
      },
      ...(renderDigest && {
        renderDigest: async (digest, tenant) => {
          const content = await renderDigest(digest, tenant);
          for (const event of digest.events) subjects.set(eventKey(event), content.subject);
          return content;
        },
      }),
    };
  };
  // The subject of a record's email, once: a record of an email that was rendered and sent (or tried).
  const subjectOfRecord = (record: DeliveryRecord) => {
    if (record.channel !== 'email' || !['delivered', 'partial', 'failed'].includes(record.status))
      return undefined;
    const key = keyOf(record);
    const subject = subjects.get(key);
    subjects.delete(key);
    return subject;
  };

  const notifierFor = (
    directory: (organizationId: string) => TenantConfig | undefined,
    slack: SlackChannel,
    api: SlackApiChannel | undefined,
    extra: readonly (string | undefined)[] = [],
  ) => {
    const routes = previewRoutes({ email: options.email, slack }, templates);
    return createNotifier({
      directory: { get: async (id) => directory(id) },
      routes: {
        ...routes,
        email: rememberSubjects(routes.email),
        ...(api ? { slackApi: slackApiRoute(api, templates) } : {}),
      },
      // Off because a designer sends the same event again and again on purpose.
      idempotency: false,
      onDelivery: (record) =>
        options.onDelivery(record, {
          extra,
          entryId: entries.get(keyOf(record)),
          emailSubject: subjectOfRecord(record),
        }),
    });
  };
  // The preview's own targets share one notifier, so that its storm control sees every send (a burst
  // of Send test or POST /api/notify) as a service's notifier would, and folds a storm into digests.
  // Its directory answers with the tenant of the organization's latest send (the locale and time zone
  // picked in the UI), which a held digest is rendered for. Bounded like the console: the body names
  // the organization, and a digest keeps the tenant it was folded for.
  let shared: Notifier | undefined;
  const sharedTenants = createBoundedMap<string, TenantConfig>(alertStoreDefaults.maxAlerts);
  const sharedNotifier = () => {
    shared ??= notifierFor((id) => sharedTenants.get(id), options.slack, options.fakeSlackApi());
    return shared;
  };

  const deliver = async (
    body: unknown,
    targets: SendTargets = { embeddedWebhook: false },
    api: SlackApiChannel | undefined = undefined,
  ) => {
    const subject = subjectOf(body, previewDefaults.maxBurstAlerts);
    const events = 'digest' in subject ? subject.digest.events : [subject.event];
    const tenant = options.tenantOf(
      events[0]!.alert.organizationId,
      body,
      targets,
      api ? [tenantChannel] : [],
    );
    const typed = Boolean(targets.to || targets.webhookUrl);
    // The typed webhook's path is its credential; the address is personal data.
    const extra = [
      targets.to,
      targets.webhookUrl,
      targets.webhookUrl && new URL(targets.webhookUrl).pathname,
    ];
    const { locale, timeZone } = requestShape(body) as RequestShape & { locale?: string; timeZone?: string };
    // With the queue, the preview's own targets are the worker's; typed ones are sent here.
    const queueMode = options.queue();
    if (queueMode && !typed) {
      const ids: string[] = [];
      for (const event of events)
        ids.push((await queueMode.enqueue(event, recordEntry(event, { locale, timeZone }))).id);
      return {
        queued: true,
        id: ids[0],
        ...burstOf(events),
        records: [],
        summary: { queued: events.length },
      };
    }
    // Typed targets get a notifier of their own for this request, closed at its end: a burst sends
    // its digest at once rather than holding it for a webhook typed in the UI.
    const slack = !targets.webhookUrl
      ? options.slack
      : targets.embeddedWebhook
        ? options.embeddedSlack
        : options.typedSlack;
    if (!typed) sharedTenants.set(tenant.organizationId, tenant);
    const notifier = typed
      ? notifierFor((id) => (id === tenant.organizationId ? tenant : undefined), slack, api, extra)
      : sharedNotifier();
    const reports: NotificationReport[] = [];
    for (const event of events) {
      recordEntry(event, { locale, timeZone });
      reports.push(await notifier.notify(event));
    }
    if (typed) await notifier.close();
    const records = reports.flatMap((r) => r.records).map((r) => options.safeRecord(r, extra));
    if (reports.length === 1) return { ...reports[0]!, records };
    return { ...burstOf(events), records, summary: sumSummaries(reports) };
  };

  return Object.assign(deliver, {
    close: async () => {
      await shared?.close();
    },
  });
}

/** What a send's answer says about a burst: how many events, and the alerts they were about. */
export function burstOf(events: readonly AlertEvent[]) {
  const [first] = events;
  return events.length === 1
    ? { eventType: first!.type, alertId: first!.alert.id }
    : { burst: events.length, alertIds: events.map((e) => e.alert.id) };
}

/** The counts by status of several reports together. */
export function sumSummaries(reports: readonly NotificationReport[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const report of reports)
    for (const [status, n] of Object.entries(report.summary)) sum[status] = (sum[status] ?? 0) + n;
  return sum;
}
