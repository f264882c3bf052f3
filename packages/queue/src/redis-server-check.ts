import { NotifyError } from '@pytake/notify-core';
import { RedisVersionError } from './errors/redis-version-error.js';
import type { RedisClient } from './redis-connection.js';

/**
 * The oldest Redis the queue runs on. BullMQ 6 refuses anything below 5.0.0 and recommends 6.2.0
 * (`RedisConnection.recommendedMinimumVersion`); the queue itself needs 6.2 for the exclusive range
 * of `XRANGE` (`(id`) with which the records stream is read from a position, and its Lua scripts
 * read `TIME` before writing, which needs the effects replication that is the only mode since 5.0.
 */
export const REDIS_MINIMUM_VERSION = '6.2.0';

/** Which start-up checks of Redis a worker makes. */
export interface RedisChecks {
  /**
   * Refuse a Redis older than `REDIS_MINIMUM_VERSION` (`RedisVersionError`). Turn it off only for a
   * Redis-compatible server that reports a `redis_version` of its own numbering. @default true
   */
  version?: boolean;
  /**
   * Report (through `onError`) a Redis that keeps nothing on disk: neither `appendonly yes` nor an RDB
   * save point. Turn it off for a Redis you mean to lose, such as one of tests. @default true
   */
  persistence?: boolean;
}

/** What `INFO` says that the checks need, from its text. */
export interface RedisInfo {
  /** `redis_version`, e.g. `'7.0.15'`. */
  version?: string;
  /** `aof_enabled:1`. */
  aofEnabled?: boolean;
  /** `maxmemory_policy`. */
  maxmemoryPolicy?: string;
}

/** Reads the fields the checks need from the text of `INFO` (any sections; missing ones stay unset). */
export function parseRedisInfo(info: string): RedisInfo {
  const field = (name: string) => new RegExp(`^${name}:(\\S*)`, 'm').exec(info)?.[1];
  const aof = field('aof_enabled');
  return {
    version: field('redis_version'),
    aofEnabled: aof === undefined ? undefined : aof === '1',
    maxmemoryPolicy: field('maxmemory_policy'),
  };
}

/** `-1`, `0` or `1` as dotted version `a` is below, equal to or above `b` (missing parts are 0). */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * The `RedisVersionError` for a server older than `REDIS_MINIMUM_VERSION`, from the text of `INFO`;
 * `undefined` when it is recent enough or says no version (a proxy that hides it is not refused).
 */
export function redisVersionProblem(info: string): RedisVersionError | undefined {
  const { version } = parseRedisInfo(info);
  if (!version || !/^\d+(\.\d+)*$/.test(version)) return undefined;
  return compareVersions(version, REDIS_MINIMUM_VERSION) < 0
    ? new RedisVersionError(REDIS_MINIMUM_VERSION, version)
    : undefined;
}

/**
 * The warning for a Redis that keeps nothing on disk: AOF off (from `INFO`) and no RDB save point
 * (`savePoints`, the answer to `CONFIG GET save`: `''` means none). `undefined` when AOF is on, when
 * there are save points, or when either is unknown (managed services often disable `CONFIG`, and
 * keep their own persistence).
 */
export function persistenceProblem(info: string, savePoints: string | undefined): NotifyError | undefined {
  const { aofEnabled } = parseRedisInfo(info);
  if (aofEnabled !== false || savePoints === undefined || savePoints.trim() !== '') return undefined;
  return new NotifyError(
    'Redis keeps nothing on disk (appendonly no and no RDB save points): a restart of Redis loses every queued event, every retry and delivery waiting, the sent markers that keep deliveries effectively once, and the dead letters. Set appendonly yes (with appendfsync always)',
    { code: 'config' },
  );
}

/**
 * The warning for a `maxmemory-policy` other than `noeviction`: a Redis that evicts keys under
 * memory pressure drops jobs, claims and sent markers without a trace, so deliveries are lost or
 * sent twice.
 */
export function evictionProblem(info: string): NotifyError | undefined {
  const policy = parseRedisInfo(info).maxmemoryPolicy;
  if (!policy || policy === 'noeviction') return undefined;
  return new NotifyError(
    `Redis evicts keys (maxmemory-policy ${policy}): under memory pressure it drops queued jobs and sent markers, so deliveries are lost or sent twice. Set maxmemory-policy noeviction`,
    { code: 'config' },
  );
}

/**
 * The worker's start-up check of Redis, once, from one `INFO` (which managed Redis services answer
 * where they disable `CONFIG`): an evicting `maxmemory-policy` and a Redis that keeps nothing on disk
 * are reported through `onError` (the worker runs on); a Redis older than `REDIS_MINIMUM_VERSION`
 * rejects with `RedisVersionError` (the worker takes no job). A Redis that does not answer `INFO` is
 * not reported.
 */
export async function checkRedisServer(
  redis: RedisClient,
  onError: ((error: Error) => void) | undefined,
  checks: RedisChecks = {},
): Promise<void> {
  let info: string;
  try {
    info = await redis.info();
  } catch {
    return;
  }
  if (checks.version !== false) {
    const tooOld = redisVersionProblem(info);
    if (tooOld) throw tooOld;
  }
  const evicting = evictionProblem(info);
  if (evicting) onError?.(evicting);
  if (checks.persistence !== false && parseRedisInfo(info).aofEnabled === false) {
    const savePoints = await (redis.config('GET', 'save') as Promise<string[]>).then(
      (answer) => (Array.isArray(answer) ? answer[1] : undefined),
      () => undefined,
    );
    const lost = persistenceProblem(info, savePoints);
    if (lost) onError?.(lost);
  }
}
