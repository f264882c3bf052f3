// The `@pytake/notify-core/model` subpath: the alert model, events, tenant config and delivery records
// with their schemas, parsers and errors, and nothing that sends, retries, traces or deduplicates.
// A service that only renders or validates (the templates, Slack's Block Kit builder) loads this and
// zod, not @opentelemetry/api or the notifier. The package root exports all of it too, the same
// objects: both entries share their chunks, so `instanceof ValidationError` holds across them.
export {
  ALERT_STATUSES,
  type Alert,
  type AlertInput,
  type AlertStatus,
  alertSchema,
  atLeastSeverity,
  dateSchema,
  SEVERITIES,
  type Severity,
} from './alert.js';
export type { AlertDigest, RenderContext } from './alert-digest.js';
export type { Channel, DeferredRecipient, DeliveryReceipt, DeliveryWarning, SendOptions } from './channel.js';
export {
  DELIVERY_STATUSES,
  type DeliveryRecord,
  type DeliveryStatus,
  type NotificationReport,
  QUEUE_STATES,
  type QueueState,
  type SkipReason,
} from './delivery-record.js';
export {
  ConfigError,
  isNotifyError,
  NotifyError,
  type NotifyErrorCode,
  type NotifyErrorOptions,
  toNotifyError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export {
  ALERT_EVENT_TYPES,
  type AlertCreatedEvent,
  type AlertEscalatedEvent,
  type AlertEvent,
  type AlertEventInput,
  type AlertEventType,
  type AlertResolvedEvent,
  type AlertStaleEvent,
  alertEventSchema,
  CLOCK_SKEW_MS,
  type EscalationTarget,
  escalationTarget,
  inactiveFor,
  parseAlertEvent,
  resolutionDuration,
} from './events.js';
export {
  type EmailContent,
  type EmailDelivery,
  ROUTE_KINDS,
  type Route,
  type RouteKind,
  type Routes,
  recordChannel,
  type SlackChannelDelivery,
  type SlackDelivery,
} from './routes.js';
export { type StormConfig, type StormSettings, stormDefaults, stormSettings } from './storm-config.js';
export {
  checkTenantConfig,
  LOCALES,
  type Locale,
  parseTenantConfig,
  type Recipient,
  type TenantConfig,
  type TenantConfigInput,
  type TenantDirectory,
  tenantConfigSchema,
  tenantLimits,
} from './tenant.js';
export { type FormatIssuesOptions, formatZodIssues } from './zod-issues.js';
