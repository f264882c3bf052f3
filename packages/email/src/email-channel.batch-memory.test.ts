import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailChannel, type EmailChannel } from './email-channel.js';
import type { EmailMessage } from './email-message.js';
import { startTestServer, type TestServer } from './testing/smtp-test-server.js';

// A full GC on demand, without starting the test runner with --expose-gc: WeakRefs then tell which
// messages something still holds. What only a GC can free is never "held".
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: TestServer | undefined;
let channel: EmailChannel | undefined;

afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

async function setup() {
  server = await startTestServer();
  channel = createEmailChannel(
    { host: '127.0.0.1', port: server.port, useTls: false, timeoutSeconds: 60 },
    { retry: { sleep: async () => {} } },
  );
  return { server, channel };
}

// About the size of a rendered alert email, so that holding one per message would show.
const html = `<html><body>${'<p>Disk full on db-1, 97% used.</p>'.repeat(200)}</body></html>`;

describe('sendBatch() memory', () => {
  it('holds at most `concurrency` messages while the batch runs, and none once the results (failed ones too) are back', async () => {
    const { server, channel } = await setup();
    const total = 160;
    const concurrency = 4;
    const refs: WeakRef<EmailMessage>[] = [];
    function* messages(): Generator<EmailMessage> {
      for (let i = 0; i < total; i++) {
        // Every 20th is refused before sending: a failed result must not keep its message either.
        const to = i % 20 === 19 ? `not-an-address-${i}` : `u${i}@acme.test`;
        const message = { to, subject: `m${i}`, html, text: `m${i}`, threadKey: `a${i}` };
        refs.push(new WeakRef(message));
        yield message;
      }
    }
    const held = (): number => {
      gc();
      return refs.filter((r) => r.deref() !== undefined).length;
    };
    const heldDuring: number[] = [];
    const results = await channel.sendBatch(messages(), {
      concurrency,
      // Called inside a worker that has just settled its message: the most a bounded pool can hold
      // here is that one and the others in flight.
      onProgress: ({ done }) => {
        if (done % 40 === 0) heldDuring.push(held());
      },
    });

    expect(results.filter((r) => r.ok)).toHaveLength(total - total / 20);
    expect(results.filter((r) => !r.ok && r.error.code === 'validation')).toHaveLength(total / 20);
    expect(server.received).toHaveLength(total - total / 20);
    expect(heldDuring).toHaveLength(total / 40);
    expect(Math.max(...heldDuring)).toBeLessThanOrEqual(concurrency);
    // The results are still in scope: they must not keep the messages they report on.
    expect(held()).toBeLessThanOrEqual(1);
    expect(results).toHaveLength(total);
  });

  it('reports each message with a small result: status, attempts, duration and Message-ID, no content', async () => {
    const { channel } = await setup();
    const results = await channel.sendBatch(
      Array.from({ length: 3 }, (_, i) => ({ to: `u${i}@acme.test`, subject: `m${i}`, html, text: 'x' })),
    );
    for (const result of results) {
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(Object.keys(result.value).sort()).toEqual(['attempts', 'durationMs', 'providerId']);
      expect(result.value.providerId).toMatch(/^<[^@<>]+@pytake\.com>$/);
      // No body, no recipients, no nodemailer info: a 10,000-message batch keeps 10,000 of these.
      expect(JSON.stringify(result).length).toBeLessThan(150);
    }
  });
});
