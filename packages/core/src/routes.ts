import type { AlertDigest, RenderContext } from './alert-digest.js';
import type { Channel } from './channel.js';
import type { AlertEvent, AlertEventType } from './events.js';
import type { Recipient, TenantConfig } from './tenant.js';

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
  listUnsubscribe?: string; // the tenant's email.unsubscribeUrl, sent as List-Unsubscribe (RFC 8058)
  /** The alert id: messages with the same key form one thread. */
  threadKey: string;
  /**
   * True for the message that starts the thread (the `alert.created` email). Every email of the
   * alert references the thread's root id (`References`, and `In-Reply-To` after the first), while
   * each has its own Message-ID, so mail clients show one conversation and drop no message.
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
  /** Renders an event for the organization `tenant` (its locale, time zone and brand). */
  render(event: AlertEvent, tenant: TenantConfig, context?: RenderContext): Content | Promise<Content>;
  /**
   * Renders a storm's digest for the route's targets. Without it, storm control is off for the
   * route: every event goes alone, whatever the tenant's `storm` settings say.
   */
  renderDigest?(digest: AlertDigest, tenant: TenantConfig): Content | Promise<Content>;
}

/** The routes a notifier (or a queue worker) delivers through, one per kind of target. */
export interface Routes<SlackMessage = unknown> {
  email?: Route<EmailContent, EmailDelivery>;
  slack?: Route<SlackMessage, SlackDelivery<SlackMessage>>;
  /** Slack through the Web API, for the tenants' `slack.channels`. */
  slackApi?: Route<SlackMessage, SlackChannelDelivery<SlackMessage>>;
}

/** The name of a route: `email`, `slack` or `slackApi`. */
export type RouteKind = keyof Routes;
/** Every route kind. */
export const ROUTE_KINDS = ['email', 'slack', 'slackApi'] as const satisfies readonly RouteKind[];

/** The `channel` of a record for each route: the kind of the channel that delivers it. */
export const recordChannel = { email: 'email', slack: 'slack', slackApi: 'slack-api' } as const;
