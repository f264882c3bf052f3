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
export { type BackoffOptions, backoffDefaults, backoffDelay } from './backoff.js';
export { type BatchOptions, type BatchProgress, type BatchResult, batchDefaults, runBatch } from './batch.js';
export type { Channel, DeferredRecipient, DeliveryReceipt, DeliveryWarning, SendOptions } from './channel.js';
export {
  type DeliverDigestOptions,
  type DigestOutcome,
  deliverDigest,
  digestRecords,
  type FoldedEvent,
} from './deliver-digest.js';
export {
  type DeliverTargetOptions,
  type DeliveryClaims,
  type DeliveryOutcome,
  deliverTarget,
} from './deliver-target.js';
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
  createDeliveryStats,
  type DeliveryStats,
  type DeliveryStatsOptions,
  type DeliveryStatsSnapshot,
  deliveryStatsDefaults,
  type LatencySummary,
} from './delivery-stats.js';
export { envBoolean, parseEnvBoolean } from './env.js';
export { readSecretEnv, readSecretEnvs } from './env-secret.js';
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
export { checkEventSize, DEFAULT_MAX_EVENT_BYTES } from './event-size.js';
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
  type ClaimResult,
  createMemoryIdempotencyStore,
  type IdempotencyStore,
  type MemoryIdempotencyOptions,
} from './idempotency.js';
export { lookUpTenant } from './look-up-tenant.js';
export { createNotifier, type Notifier, type NotifierOptions, notifierDefaults } from './notifier.js';
export { type NumberRange, numberOption } from './number-option.js';
export { asParsedAlertEvent } from './parsed-alert-event.js';
export {
  deliveryKey,
  digestDeliveryKey,
  type PlannedTarget,
  planTargets,
  resolveTarget,
  secretsOf,
  type TargetAddress,
} from './plan-targets.js';
export { recipientDigest } from './recipient-digest.js';
export { organizationRecords, recordBase, reportOf } from './records.js';
export { redactAddress, redactSecrets, redactUrl } from './redact.js';
export { type AttemptContext, type RetryInfo, type RetryOptions, retry, retryDefaults } from './retry.js';
export { retryOptionsSchema } from './retry-options.js';
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
export { MAX_TIMER_MS, sleep, timerDelay } from './sleep.js';
export { type StormConfig, type StormSettings, stormDefaults, stormSettings } from './storm-config.js';
export {
  createStormTracker,
  type StormDecision,
  type StormDigest,
  type StormTracker,
  type StormTrackerOptions,
} from './storm-tracker.js';
export { EMAIL_TARGET_ID, webhookTargetId } from './target-id.js';
export {
  checkTenantConfig,
  createStaticDirectory,
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
export {
  endDeliverySpan,
  endNotifySpan,
  extractTraceContext,
  injectTraceContext,
  startDeliverySpan,
  startNotifySpan,
  TRACER_NAME,
  type TracedSpan,
  traceAttributes,
  withExtractedContext,
} from './tracing.js';
export { type FormatIssuesOptions, formatZodIssues } from './zod-issues.js';
