/**
 * Peak RSS of `sendBatch` at 1,000 and 10,000 messages, each batch in a fresh process, to a local
 * smtp-server sink (the bench's), beside raw nodemailer (a pool of 5, 5 senders) doing the same in
 * the same run. Not a test: a measurement to run by hand, from the repository root:
 *
 *   pnpm --dir bench exec tsx ../packages/email/scripts/measure-batch-memory.ts [repeats] [sizes...]
 *
 * The child runs from bench/, so that it resolves the built packages (`pnpm build` first). It also
 * prints how much the heap holds after a full GC at the end (`liveKb`, with `--expose-gc`): flat
 * when nothing is kept per message but the results; and how many bytes per message the scavenges
 * promoted to the old generation (`promotedB`, from `--trace-gc-nvp`, start-up included). The old
 * generation grows by what is promoted until V8 first collects it, and that point, not a leak, is
 * what makes the peak of a long batch higher than a short one's: `promotedB` compares the two sides
 * without depending on when V8 chose to collect. At the end it prints each side's growth, largest
 * size vs smallest, per repeat.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSmtpSink } from '../../../bench/src/servers/smtp-sink.js';

const benchDir = fileURLToPath(new URL('../../../bench/', import.meta.url));
// MAX_OLD_SPACE_MB=40 runs each child with a small old generation: V8 then collects instead of
// growing the heap, so the peaks show what a batch needs rather than when V8 chose to collect, and a
// batch that kept something per message would run out of memory at 10,000 instead of finishing.
const heapCap = process.env.MAX_OLD_SPACE_MB ? [`--max-old-space-size=${process.env.MAX_OLD_SPACE_MB}`] : [];
const [repeats = 2, ...sizes] = process.argv.slice(2).map(Number).filter(Boolean);
const runs = Array.from({ length: repeats }, () => (sizes.length ? sizes : [1000, 10_000])).flat();

// The bench's batch-memory child, plus the raw side and the live heap at the end.
const child = (port: number, n: number, side: 'ours' | 'raw') => `
const { renderAlertEmail } = await import('@pytake/notify-templates');
const { fixtures } = await import('@pytake/notify-templates/fixtures');
const content = await renderAlertEmail(fixtures['created-critical']);
const t0 = performance.now();
let kept;
if (${JSON.stringify(side)} === 'ours') {
  const { createEmailChannel } = await import('@pytake/notify-email');
  const channel = createEmailChannel({ host: '127.0.0.1', port: ${port}, useTls: false });
  function* messages() { for (let i = 0; i < ${n}; i++) yield { ...content, to: ['ops' + i + '@example.com'], threadKey: 'alert-' + i }; }
  const results = await channel.sendBatch(messages(), { concurrency: 5 });
  channel.close();
  const failed = results.filter((r) => !r.ok).length;
  if (failed) throw new Error(failed + ' failed');
  kept = results;
} else {
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ${port}, secure: false, ignoreTLS: true, pool: true, maxConnections: 5, maxMessages: 100 });
  let next = 0;
  kept = [];
  const worker = async () => { while (next < ${n}) { const i = next++; kept[i] = await transport.sendMail({ from: 'noreply@pytake.com', to: 'ops' + i + '@example.com', subject: content.subject, html: content.html, text: content.text }); } };
  await Promise.all(Array.from({ length: 5 }, worker));
  transport.close();
}
const s = Math.round(performance.now() - t0) / 1000;
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
globalThis.gc();
console.log(JSON.stringify({ side: ${JSON.stringify(side)}, n: ${n}, maxRssMb, liveKb: Math.round(process.memoryUsage().heapUsed / 1024), kept: kept.length, s }));
`;

// Bytes promoted by the scavenges of one child: the sum of `promoted=` on its `gc=s` lines.
const promotedBytes = (stdout: string): number =>
  stdout
    .split('\n')
    .filter((line) => /\bgc=s\b/.test(line))
    .reduce((sum, line) => sum + Number(/\bpromoted=(\d+)/.exec(line)?.[1] ?? 0), 0);

type Run = { side: 'ours' | 'raw'; n: number; repeat: number; maxRssMb: number };
const done: Run[] = [];
const sink = await startSmtpSink();
try {
  for (const [i, n] of runs.entries()) {
    for (const side of i % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const)) {
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [
            ...heapCap,
            '--expose-gc',
            '--trace-gc-nvp',
            '--input-type=module',
            '-e',
            child(sink.port, n, side),
          ],
          { cwd: benchDir, maxBuffer: 1 << 28 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
      });
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as Run;
      const promotedB = Math.round(promotedBytes(out) / n);
      console.log(JSON.stringify({ ...result, promotedB }));
      done.push({ side, n, repeat: Math.floor(i / (sizes.length || 2)), maxRssMb: result.maxRssMb });
    }
  }
} finally {
  await sink.close();
}
const [smallest, largest] = [Math.min(...runs), Math.max(...runs)];
for (const side of ['ours', 'raw'] as const) {
  const growth = Array.from({ length: repeats }, (_, repeat) => {
    const at = (n: number) => done.find((r) => r.side === side && r.n === n && r.repeat === repeat)?.maxRssMb;
    const [small, large] = [at(smallest), at(largest)];
    return small === undefined || large === undefined ? 'n/a' : `${large - small} MB`;
  });
  console.log(`${side}: peak RSS growth ${largest} vs ${smallest}: ${growth.join(', ')}`);
}
