export type {
  ActionKind,
  AlertDetail,
  AlertPage,
  AlertQuery,
  AlertSummary,
  ApiErrorBody,
  ConsoleAction,
  DeadLetterSummary,
  DeliveryCounts,
  DigestView,
  LiveChange,
  NumberedChange,
  Operator,
  OperatorInfo,
  OrganizationHealth,
  QueueJobCountsRow,
  QueueOverview,
  RateLimitHoldSummary,
  RetryAllResult,
  SlackMessageRef,
  TargetDelivery,
  TargetState,
  TimelineEntry,
} from './api-types.js';
export { ACTION_KINDS } from './api-types.js';
export { type ConsoleOptions, consoleDefaults } from './console-options.js';
export { createConsole, type OperatorConsole } from './create-console.js';
export {
  createInProcessSource,
  type InProcessSource,
  type InProcessSourceOptions,
  inProcessSourceDefaults,
} from './in-process-source.js';
export { alertQueryLimits } from './parse-alert-query.js';
export {
  type ConsoleQueue,
  createRedisSource,
  type QueueAlertAction,
  type QueueDeadLetter,
  type QueueIndexedAlert,
  type QueueRateLimitHold,
  type QueueTargetStatus,
  type RedisSourceOptions,
  redisSourceDefaults,
} from './redis-source.js';
export type { ConsoleSource } from './source.js';
