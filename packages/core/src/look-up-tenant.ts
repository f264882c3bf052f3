import { deadline } from './deadline.js';
import { NotifyError, toNotifyError } from './errors.js';
import { redactSecrets } from './redact.js';
import type { TenantDirectory } from './tenant.js';

/**
 * `directory.get(organizationId)` with a deadline: past `timeoutMs`, or when `signal` aborts, it
 * rejects (code `timeout`, or `aborted`) while the lookup is left to finish on its own, so that a slow
 * database cannot hold a caller. What it returns is the directory's answer, unchecked.
 * @throws NotifyError: `timeout` past the deadline; else the directory's error as a NotifyError
 * (`transient` unless it was one), its message redacted (a database URL's password, a webhook, an
 * address), without the original error as its cause.
 */
export async function lookUpTenant(
  directory: TenantDirectory,
  organizationId: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<unknown> {
  const limit = deadline(
    options.timeoutMs,
    options.signal,
    () =>
      new NotifyError(`directory.get did not answer within lookupTimeoutMs (${options.timeoutMs} ms)`, {
        code: 'timeout',
        retryable: true,
      }),
  );
  try {
    return await limit.race(Promise.resolve().then(() => directory.get(organizationId)));
  } catch (caught) {
    if (limit.expired && limit.error) throw limit.error;
    const error = toNotifyError(caught, 'transient');
    throw new NotifyError(redactSecrets(error.message, []), {
      code: error.code,
      retryable: error.code === 'transient' || error.retryable,
    });
  } finally {
    limit.clear();
  }
}
