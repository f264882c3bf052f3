import { runFresh } from '../fresh.js';
import { atMost, type Row } from '../harness.js';
import { startSmtpSink } from '../servers/smtp-sink.js';

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
console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, ms: performance.now() - t0 }));
`;

const SMALL = 1000;
const LARGE = 10_000;

/** Peak RSS of `sendBatch` for 1,000 and 10,000 messages, each in a fresh process: it must stay flat. */
export const batchMemoryRow: Row = {
  name: 'memory',
  what: `email sendBatch peak RSS, ${SMALL.toLocaleString('en-US')} vs ${LARGE.toLocaleString('en-US')} messages, each in a fresh process`,
  ceilingMs: 35_000,
  async run(b) {
    const sink = await startSmtpSink();
    try {
      const small = await runFresh<{ maxRssKb: number; ms: number }>(child(sink.port, SMALL), b.left());
      let large: { maxRssKb: number; ms: number };
      try {
        large = await runFresh<{ maxRssKb: number; ms: number }>(child(sink.port, LARGE), b.left());
      } catch (error) {
        b.hit(`the ${LARGE.toLocaleString('en-US')}-message batch did not finish`);
        return [
          {
            name: `sendBatch peak RSS, ${LARGE / 1000}k vs ${SMALL / 1000}k messages`,
            ours: 'did not finish',
            raw: `${(small.maxRssKb / 1024).toFixed(1)} MB (${(small.ms / 1000).toFixed(1)} s)`,
            ratio: Number.NaN,
            ratioOf: 'growth, MB',
            bar: '<= 10',
            pass: false,
            note: (error as Error).message,
            data: { small },
          },
        ];
      }
      const growthMb = (large.maxRssKb - small.maxRssKb) / 1024;
      const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
      return [
        {
          name: `sendBatch peak RSS, ${LARGE / 1000}k vs ${SMALL / 1000}k messages`,
          ours: `${mb(large.maxRssKb)} (${(large.ms / 1000).toFixed(1)} s)`,
          raw: `${mb(small.maxRssKb)} (${(small.ms / 1000).toFixed(1)} s)`,
          ratio: growthMb,
          ratioOf: 'growth, MB',
          ...atMost(Number(growthMb.toFixed(1)), 10),
          note: 'the "ours" column is the large batch, the "raw" column the small one (both ours)',
          data: { small, large, growthMb },
        },
      ];
    } finally {
      await sink.close();
    }
  },
};
