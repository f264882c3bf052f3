// An email channel on a local test SMTP server, closed after each test, with retries that record
// their waits instead of sleeping.
import { afterEach, expect } from 'vitest';
import { createEmailChannel, type EmailChannel, type EmailChannelOptions } from '../email-channel.js';
import { SmtpError } from '../smtp-error.js';
import { startTestServer, type TestServer, type TestServerOptions } from './smtp-test-server.js';

export interface LocalChannel {
  server: TestServer;
  channel: EmailChannel;
  /** Every backoff wait the channel asked for, in milliseconds. */
  sleeps: number[];
}

/**
 * Call at the top of a test file: returns `setup()`, which starts a server and a channel on it
 * (plain SMTP, no jitter, a 100 ms base delay; `options` override), and closes both after each test.
 */
export function useLocalChannel(): (
  serverOptions?: TestServerOptions,
  options?: EmailChannelOptions,
) => Promise<LocalChannel> {
  let current: LocalChannel | undefined;
  afterEach(async () => {
    current?.channel.close();
    await current?.server.close();
    current = undefined;
  });
  return async (serverOptions = {}, options = {}) => {
    const server = await startTestServer(serverOptions);
    const sleeps: number[] = [];
    const channel = createEmailChannel(
      {
        host: '127.0.0.1',
        port: server.port,
        useTls: false,
        fromEmail: 'alerts@pytake.test',
        // A ceiling, not an expectation: a busy machine must not turn a slow reply into a retry.
        timeoutSeconds: 60,
      },
      { retry: { sleep: async (ms) => void sleeps.push(ms), jitter: 'none', baseDelayMs: 100 }, ...options },
    );
    current = { server, channel, sleeps };
    return current;
  };
}

/** The `SmtpError` that `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export async function smtpFailure(promise: Promise<unknown>): Promise<SmtpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmtpError);
  return error as SmtpError;
}
