import { NotifyError } from '@pytake/notify-core';

/**
 * The Redis the worker connected to is older than the queue's scripts need. The worker takes no job
 * from it: `ready()` rejects with this error, which names both versions.
 */
export class RedisVersionError extends NotifyError {
  /** The oldest Redis the queue runs on, e.g. `'6.2.0'`. */
  readonly minimumVersion: string;
  /** The `redis_version` the server reported. */
  readonly foundVersion: string;

  constructor(minimumVersion: string, foundVersion: string) {
    super(
      `Redis ${foundVersion} is older than ${minimumVersion}, the oldest the queue runs on: upgrade Redis to ${minimumVersion} or later (7.x recommended)`,
      { code: 'config' },
    );
    this.name = 'RedisVersionError';
    this.minimumVersion = minimumVersion;
    this.foundVersion = foundVersion;
  }
}
