import type { DeliveryRecord } from '@pytake/notify-core';
import type { QueueKeys } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';

/** One record of the records stream with its stream id (`1700000000000-0`), which orders them. */
export interface StreamRecord {
  id: string;
  /** As written: dates are ISO strings. */
  record: Omit<DeliveryRecord, 'at'> & { at: string };
}

/**
 * Reads the records stream that every worker appends to (bounded by `streamMaxLen`): what a console's
 * live channel follows, from any process, resuming after a stream id.
 */
export interface RecordsReader {
  /** Up to `count` records written after stream id `after` (or from the oldest kept), oldest first. */
  after(after: string | undefined, count?: number): Promise<StreamRecord[]>;
  /** The ids of the oldest and the newest record kept, or undefined when the stream is empty. */
  bounds(): Promise<{ oldest: string; newest: string } | undefined>;
}

/** Creates the {@link RecordsReader} of a queue's records stream. */
export function createRecordsReader(redis: RedisClient, keys: QueueKeys): RecordsReader {
  const parse = ([id, fields]: [string, string[]]): StreamRecord | undefined => {
    const i = fields.indexOf('record');
    if (i < 0 || fields[i + 1] === undefined) return undefined;
    return { id, record: JSON.parse(fields[i + 1]!) as StreamRecord['record'] };
  };
  return {
    /** Up to `count` records written after stream id `after` (or from the oldest kept), oldest first. */
    async after(after: string | undefined, count = 100): Promise<StreamRecord[]> {
      const entries = await redis.xrange(keys.records, after ? `(${after}` : '-', '+', 'COUNT', count);
      return entries.map(parse).filter((entry): entry is StreamRecord => entry !== undefined);
    },
    /** The ids of the oldest and the newest record kept, or undefined when the stream is empty. */
    async bounds(): Promise<{ oldest: string; newest: string } | undefined> {
      const [oldest, newest] = await Promise.all([
        redis.xrange(keys.records, '-', '+', 'COUNT', 1),
        redis.xrevrange(keys.records, '+', '-', 'COUNT', 1),
      ]);
      if (!oldest[0] || !newest[0]) return undefined;
      return { oldest: oldest[0][0], newest: newest[0][0] };
    },
  };
}
