import type { DeliveryRecord } from '@pytake/notify-core';
import type { RedisClient } from './redis-connection.js';

/** The Redis stream that every worker appends its records to, for audit consumers (XREAD / XRANGE). */
export const recordsStreamKey = (prefix: string) => `${prefix}:records`;

/** Appends one record as field `record` (JSON), trimming the stream to about `maxLen` entries. */
export async function appendRecord(
  redis: RedisClient,
  prefix: string,
  record: DeliveryRecord,
  maxLen: number,
) {
  await redis.xadd(recordsStreamKey(prefix), 'MAXLEN', '~', maxLen, '*', 'record', JSON.stringify(record));
}
