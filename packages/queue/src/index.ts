// Defined in core beside DeliveryStatus; re-exported because every status here uses them.
export { QUEUE_STATES, type QueueState } from '@pytake/notify-core';
export {
  type AlertAction,
  type AlertIndexPage,
  type AlertIndexQuery,
  type AlertIndexReader,
  alertIndexDefaults,
  type IndexedAlert,
  type IndexedAlertDetail,
  type IndexedEvent,
  type PostedMessage,
} from './alert-index.js';
export type { DeadLetter, DeadLetters } from './dead-letters.js';
export { queueDefaults } from './defaults.js';
export {
  createDeliveryWorker,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
  type RateLimitEvent,
  type SmtpLimit,
} from './delivery-worker.js';
export { QueueUnavailableError } from './errors/queue-unavailable-error.js';
export { RedisVersionError } from './errors/redis-version-error.js';
export type { EventStatus, TargetStatus } from './event-status.js';
export { type HealthServer, type HealthServerOptions, serveWorkerHealth } from './health-server.js';
export { QUEUE_JOB_STATES, type QueueJobCounts, type QueueJobState, type QueueName } from './job-counts.js';
export type { DeliveryJobData, EventJobData } from './job-data.js';
export { deliveryJobId, eventJobId, queueNames } from './job-ids.js';
export {
  createNotificationQueue,
  type NotificationQueue,
  type NotificationQueueOptions,
} from './notification-queue.js';
export { recordsStreamKey } from './queue-keys.js';
export type { RecordsReader, StreamRecord } from './records-reader.js';
export type { RedisClient, RedisClusterConnection, RedisConnection } from './redis-connection.js';
export {
  createRedisIdempotencyStore,
  type RedisIdempotencyOptions,
  type RedisIdempotencyStore,
} from './redis-idempotency-store.js';
export type { RateLimit, RateLimitHold } from './redis-rate-limiter.js';
export {
  parseRedisInfo,
  REDIS_MINIMUM_VERSION,
  type RedisChecks,
  type RedisInfo,
  redisVersionProblem,
} from './redis-server-check.js';
export type { TraceCarrier } from './tracing.js';
export {
  type HealthAnswer,
  type WorkerHealth,
  type WorkerHealthOptions,
  workerHealth,
  workerHealthDefaults,
} from './worker-health.js';
export type { WorkerState } from './worker-state.js';
