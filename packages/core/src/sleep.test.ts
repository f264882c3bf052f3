import { describe, expect, it } from 'vitest';
import { sleep } from './sleep.js';

describe('sleep()', () => {
  it('resolves after the wait', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });

  it('rejects with aborted as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('rejects at once for a signal already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).rejects.toMatchObject({ code: 'aborted' });
  });
});
