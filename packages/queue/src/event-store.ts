import type { AlertEvent } from '@pytake/notify-core';
import { eventOfJob } from './job-event.js';
import type { QueueKeys } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';

// Events are immutable: the few most recent stay in memory, so that the deliveries of one event
// that a worker takes read it from Redis once. Only a cache: Redis has every event.
const CACHED_EVENTS = 256;

/**
 * Where the event of each event job is kept for its delivery jobs: once per event (its JSON, with
 * the status's TTL) rather than copied into every delivery job.
 */
export function createEventStore(redis: RedisClient, keys: QueueKeys, ttlMs: number) {
  const cache = new Map<string, Promise<AlertEvent | undefined>>();
  const remember = (eventId: string, event: Promise<AlertEvent | undefined>) => {
    cache.set(eventId, event);
    if (cache.size > CACHED_EVENTS) cache.delete(cache.keys().next().value as string);
  };
  return {
    /** Keeps `event` (as the event job holds it, already JSON) for its delivery jobs. */
    async save(eventId: string, json: string, event: AlertEvent): Promise<void> {
      await redis.set(keys.event(eventId), json, 'PX', Math.max(1, Math.ceil(ttlMs)));
      remember(eventId, Promise.resolve(event));
    },
    /** Keeps `event` in this process only, for a delivery made in its event job. */
    remember(eventId: string, event: AlertEvent): void {
      remember(eventId, Promise.resolve(event));
    },
    /** The event of `eventId`, or undefined once it expired. Throws ValidationError for data that is not an event. */
    load(eventId: string): Promise<AlertEvent | undefined> {
      let event = cache.get(eventId);
      if (!event) {
        event = redis
          .get(keys.event(eventId))
          .then((json) => (json === null ? undefined : eventOfJob(JSON.parse(json))));
        // A failed read is not remembered: the next run asks Redis again.
        event.catch(() => cache.delete(eventId));
        remember(eventId, event);
      }
      return event;
    },
  };
}
export type EventStore = ReturnType<typeof createEventStore>;
