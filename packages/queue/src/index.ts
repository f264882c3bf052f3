export { queueDefaults } from './defaults.js';
export { QueueUnavailableError } from './errors/queue-unavailable-error.js';
export { QUEUE_STATES, type QueueState } from './queue-states.js';
export type { RedisConnection } from './redis-connection.js';
export {
  createRedisIdempotencyStore,
  type RedisIdempotencyOptions,
  type RedisIdempotencyStore,
} from './redis-idempotency-store.js';
