import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSmtpSink } from '../servers/smtp-sink.js';

export interface MemoryPoint {
  messages: number;
  peakRssMb: number;
  seconds: number;
}

const cwd = fileURLToPath(new URL('../..', import.meta.url));

// Runs in a fresh process so that peak RSS belongs to that batch alone. The messages come from a
// generator, the way a service streams a large batch, rendering one email and reusing it.
const child = (port: number, n: number) => `
const { createEmailChannel } = await import('@pytake/notify-email');
const { renderAlertEmail } = await import('@pytake/notify-templates');
const { fixtures } = await import('@pytake/notify-templates/fixtures');
const content = await renderAlertEmail(fixtures['created-critical']);
const channel = createEmailChannel({ host: '127.0.0.1', port: ${port}, useTls: false });
const t0 = performance.now();
function* messages() { for (let i = 0; i < ${n}; i++) yield { ...content, to: ['ops' + i + '@example.com'], threadKey: 'alert-' + i }; }
const results = await channel.sendBatch(messages(), { concurrency: 5 });
channel.close();
const failed = results.filter((r) => !r.ok).length;
if (failed) throw new Error(failed + ' failed');
console.log(JSON.stringify({ maxRss: process.resourceUsage().maxRSS, ms: performance.now() - t0 }));
`;

/** Peak RSS of `sendBatch` for growing batches: it must stay flat as the batch grows. */
export async function batchMemory(sizes = [1000, 5000, 10_000]): Promise<MemoryPoint[]> {
  const sink = await startSmtpSink();
  try {
    const points: MemoryPoint[] = [];
    for (const n of sizes) {
      // Async, so that the SMTP server in this process keeps answering the child.
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--input-type=module', '-e', child(sink.port, n)],
          { cwd },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        );
      });
      const { maxRss, ms } = JSON.parse(out.trim().split('\n').at(-1)!);
      points.push({ messages: n, peakRssMb: Math.round(maxRss / 1024), seconds: Math.round(ms / 100) / 10 });
    }
    return points;
  } finally {
    await sink.close();
  }
}
