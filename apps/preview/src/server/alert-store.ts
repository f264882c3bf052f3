import type {
  AlertEvent,
  AlertEventType,
  AlertStatus,
  DeliveryRecord,
  DeliveryStatus,
  QueueState,
  Severity,
} from '@pytake/notify-core';
import { alertActions } from '@pytake/notify-templates';

/**
 * Where one target of one event is: core's delivery outcome, or with the queue where the job is;
 * `queued` for a request handed to the queue whose outcome only its worker knows (an action's
 * `updateAlertMessages`).
 */
export type TargetState = DeliveryStatus | QueueState | 'queued';

/** One target (an address, a webhook, a channel) of one timeline entry. Holds no secret. */
export interface TargetEntry {
  channel: string;
  /** Redacted as in core's records: `d…@preview.local`, `127.0.0.1/…hook`, `alerts (C0PREVIEW)`. */
  target: string;
  state: TargetState;
  /** With `skipped`: why. */
  reason?: string;
  /** With `failed` (or a queued job's last failure): core's error code. */
  errorCode?: string;
  error?: string;
  /**
   * The storm digest of the target: the one the event was folded into (`digested`), then the one
   * whose delivery the state is.
   */
  digestId?: string;
  attempts: number;
  at: string;
}

export type ActionKind = 'acknowledge' | 'resolve' | 'assign' | 'view';

/** One step of an alert's life: an event the notifier sent, or an action someone took. */
export interface TimelineEntry {
  id: string;
  kind: 'event' | 'action';
  type: AlertEventType | ActionKind;
  at: string;
  by?: string;
  assignee?: string;
  /** For actions: where it was taken. */
  source?: 'slack' | 'console';
  targets: TargetEntry[];
}

/** An action as the Slack view lists it (the shape the preview's interactivity panel has always shown). */
export interface AlertActivity {
  action: ActionKind;
  user: string;
  assignee?: string;
  at: string;
}

export interface ConsoleAlert {
  alertId: string;
  /** Unknown for an alert the app never sent but whose button someone pressed. */
  organizationId?: string;
  organizationName?: string;
  title?: string;
  severity?: Severity;
  status: AlertStatus;
  /** True when the last event is `alert.stale`. */
  stale: boolean;
  lastEventType?: AlertEventType;
  lastEventAt?: string;
  /** When the console last heard anything about this alert (an event or an action). */
  updatedAt: string;
  acknowledgedBy?: string;
  resolvedBy?: string;
  assignee?: string;
  /** The buttons that apply now, from templates' `alertActions` (the same list Slack and email show). */
  actions: ActionKind[];
  /** Actions only, newest first. */
  activity: AlertActivity[];
  /** Oldest first, at most `maxTimeline` entries. */
  timeline: TimelineEntry[];
}

export type AlertSummary = Omit<ConsoleAlert, 'timeline'>;

/** What the store keeps beside each event so that the app can re-render its message later. */
export interface EventContext {
  event: AlertEvent;
  locale?: string;
  timeZone?: string;
}

export interface AlertStore {
  /** A notification event: a new timeline entry. Returns its id, for `setTarget`. */
  recordEvent(event: AlertEvent, context?: Omit<EventContext, 'event'>, by?: string): string;
  /** A target's state under an entry, replacing the same channel and target's earlier state. */
  setTarget(entryId: string, target: TargetEntry): void;
  /** Core's delivery record as a target of an entry. */
  recordDelivery(entryId: string, record: DeliveryRecord): void;
  /** An acknowledge, resolve or assign; creates the alert when the app never sent it. Returns the entry id. */
  applyAction(
    alertId: string,
    activity: AlertActivity & { source: 'slack' | 'console' },
  ): { alert: ConsoleAlert; entryId: string };
  get(alertId: string): ConsoleAlert | undefined;
  /** Most recently updated first. */
  list(): AlertSummary[];
  /** The event an entry was about, and the last event of an alert. */
  eventOf(entryId: string): EventContext | undefined;
  lastEvent(alertId: string): EventContext | undefined;
  /** A Web API message posted for an entry (`chat.postMessage`'s ts), for `chat.update` later. */
  addMessage(alertId: string, message: PostedMessage): void;
  messages(alertId: string): PostedMessage[];
  readonly size: number;
}

/** A message the bot posted, which `chat.update` can change. */
export interface PostedMessage {
  channel: string;
  ts: string;
  entryId: string;
}

export interface AlertStoreOptions {
  /** @default alertStoreDefaults.maxAlerts */
  maxAlerts?: number;
  /** @default alertStoreDefaults.maxTimeline */
  maxTimeline?: number;
  /** Told about every change, e.g. to push it to browsers. */
  onChange?(alert: ConsoleAlert): void;
  /** @default () => new Date() */
  now?: () => Date;
}

export const alertStoreDefaults = {
  /** Alerts kept; the least recently updated is forgotten first. @default 100 */
  maxAlerts: 100,
  /** Timeline entries kept per alert; the oldest go first. @default 50 */
  maxTimeline: 50,
} as const;

interface Held {
  alert: ConsoleAlert;
  contexts: Map<string, EventContext>;
  last?: EventContext;
  url?: string;
  messages: PostedMessage[];
}

const statusOf = (event: AlertEvent): AlertStatus =>
  event.type === 'alert.resolved' ? 'resolved' : event.alert.status;

/**
 * The console's memory: every alert that went through the app's notifier, with its events, the
 * actions taken on it and each target's delivery state. In memory and bounded on purpose: the app
 * is a demo of the packages, not PyTake's database.
 */
export function createAlertStore(options: AlertStoreOptions = {}): AlertStore {
  const maxAlerts = options.maxAlerts ?? alertStoreDefaults.maxAlerts;
  const maxTimeline = options.maxTimeline ?? alertStoreDefaults.maxTimeline;
  const now = options.now ?? (() => new Date());
  const alerts = new Map<string, Held>();
  const entryOwner = new Map<string, string>();
  let seq = 0;

  const touch = (held: Held) => {
    held.alert.updatedAt = now().toISOString();
    held.alert.actions = alertActions({
      status: held.alert.status,
      eventType: held.alert.lastEventType,
      url: held.url,
    });
    // Re-inserting keeps the Map in update order: the first key is the one to forget.
    alerts.delete(held.alert.alertId);
    alerts.set(held.alert.alertId, held);
    if (alerts.size > maxAlerts) {
      const [oldest, dropped] = alerts.entries().next().value!;
      alerts.delete(oldest);
      for (const entry of dropped.alert.timeline) entryOwner.delete(entry.id);
    }
    options.onChange?.(structuredClone(held.alert));
  };

  const hold = (alertId: string): Held => {
    const existing = alerts.get(alertId);
    if (existing) return existing;
    const alert: ConsoleAlert = {
      alertId,
      status: 'open',
      stale: false,
      updatedAt: now().toISOString(),
      actions: [],
      activity: [],
      timeline: [],
    };
    return { alert, contexts: new Map(), messages: [] };
  };

  const addEntry = (held: Held, entry: Omit<TimelineEntry, 'id' | 'targets'>): string => {
    const id = `${held.alert.alertId}#${++seq}`;
    held.alert.timeline.push({ id, ...entry, targets: [] });
    entryOwner.set(id, held.alert.alertId);
    while (held.alert.timeline.length > maxTimeline) {
      const gone = held.alert.timeline.shift()!;
      entryOwner.delete(gone.id);
      held.contexts.delete(gone.id);
    }
    return id;
  };

  const setTarget = (entryId: string, target: TargetEntry) => {
    const held = alerts.get(entryOwner.get(entryId) ?? '');
    const entry = held?.alert.timeline.find((e) => e.id === entryId);
    if (!held || !entry) return; // forgotten meanwhile: the bound wins over a late record
    const index = entry.targets.findIndex((t) => t.channel === target.channel && t.target === target.target);
    if (index === -1) entry.targets.push(target);
    else entry.targets[index] = target;
    touch(held);
  };

  return {
    recordEvent(event, context = {}, by) {
      const held = hold(event.alert.id);
      const a = held.alert;
      a.organizationId = event.alert.organizationId;
      a.organizationName = event.alert.organizationName;
      a.title = event.alert.title;
      a.severity = event.alert.severity;
      // An event still saying "open" after someone acknowledged here is the service not having
      // caught up yet; it must not undo the acknowledgement.
      const next = statusOf(event);
      if (!(next === 'open' && (a.status === 'acknowledged' || a.status === 'resolved'))) a.status = next;
      a.stale = event.type === 'alert.stale';
      a.lastEventType = event.type;
      a.lastEventAt = event.occurredAt.toISOString();
      if (event.type === 'alert.resolved' && event.resolvedBy) a.resolvedBy = event.resolvedBy;
      if (event.type === 'alert.escalated' && event.assignedTo) a.assignee = event.assignedTo;
      held.url = event.alert.url;
      const id = addEntry(held, { kind: 'event', type: event.type, at: a.lastEventAt, by });
      const ctx = { event, ...context };
      held.contexts.set(id, ctx);
      held.last = ctx;
      touch(held);
      return id;
    },
    setTarget,
    recordDelivery(entryId, record) {
      setTarget(entryId, {
        channel: record.channel,
        target: record.target,
        state: record.status,
        ...(record.reason ? { reason: record.reason } : {}),
        ...(record.error ? { errorCode: record.error.code, error: record.error.message } : {}),
        ...(record.digestId ? { digestId: record.digestId } : {}),
        attempts: record.attempts,
        at: new Date(record.at).toISOString(),
      });
    },
    applyAction(alertId, activity) {
      const held = hold(alertId);
      const a = held.alert;
      if (activity.action === 'acknowledge' && a.status !== 'resolved' && a.status !== 'acknowledged') {
        a.status = 'acknowledged';
        a.acknowledgedBy = activity.user;
      } else if (activity.action === 'resolve') {
        a.status = 'resolved';
        a.resolvedBy = activity.user;
      } else if (activity.action === 'assign') {
        a.assignee = activity.assignee ?? activity.user;
      }
      const { source, ...rest } = activity;
      a.activity = [rest, ...a.activity].slice(0, maxTimeline);
      const entryId = addEntry(held, {
        kind: 'action',
        type: activity.action,
        at: activity.at,
        by: activity.user,
        source,
        ...(activity.assignee ? { assignee: activity.assignee } : {}),
      });
      touch(held);
      return { alert: structuredClone(a), entryId };
    },
    get: (alertId) => {
      const held = alerts.get(alertId);
      return held ? structuredClone(held.alert) : undefined;
    },
    list() {
      return [...alerts.values()]
        .reverse()
        .map(({ alert: { timeline: _, ...summary } }) => structuredClone(summary));
    },
    eventOf: (entryId) => alerts.get(entryOwner.get(entryId) ?? '')?.contexts.get(entryId),
    lastEvent: (alertId) => alerts.get(alertId)?.last,
    addMessage(alertId, message) {
      const held = alerts.get(alertId);
      if (!held) return;
      held.messages = [...held.messages, message].slice(-maxTimeline);
    },
    messages: (alertId) => [...(alerts.get(alertId)?.messages ?? [])],
    get size() {
      return alerts.size;
    },
  };
}
