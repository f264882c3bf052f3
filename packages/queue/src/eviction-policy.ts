import { NotifyError } from '@pytake/notify-core';
import type { RedisClient } from './redis-connection.js';

/**
 * Reads Redis's `maxmemory-policy` and reports any other than `noeviction` through `onError`: a
 * Redis that evicts keys under memory pressure drops jobs, claims and sent markers without a
 * trace, so deliveries are lost or sent twice. `INFO memory` rather than `CONFIG GET`, which
 * managed Redis services often disable. A Redis that does not answer INFO is not reported.
 */
export async function checkEvictionPolicy(
  redis: RedisClient,
  onError: ((error: Error) => void) | undefined,
): Promise<void> {
  let info: string;
  try {
    info = await redis.info('memory');
  } catch {
    return;
  }
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (!policy || policy === 'noeviction') return;
  onError?.(
    new NotifyError(
      `Redis evicts keys (maxmemory-policy ${policy}): under memory pressure it drops queued jobs and sent markers, so deliveries are lost or sent twice. Set maxmemory-policy noeviction`,
      { code: 'config' },
    ),
  );
}
