import { isNotifyError, type NotifyError } from '@pytake/notify-core';

/** The NotifyError that `promise` rejects with; anything else (or no rejection) fails the test. For tests only. */
export async function failure(promise: Promise<unknown>): Promise<NotifyError> {
  try {
    await promise;
  } catch (error) {
    if (isNotifyError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
