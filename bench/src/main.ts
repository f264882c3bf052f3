import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { budget, num, type Result, type Row } from './harness.js';
import { consoleRedisRow } from './queue/console-row.js';
import {
  queueConversationRow,
  queueDeliveryRow,
  queueEnqueueRow,
  queueLatencyRow,
  queueMemoryRow,
  queueScalingRow,
  queueStormRow,
} from './queue/rows.js';
import { batchMemoryRow } from './rows/batch-memory.js';
import { coldRow, emailColdRow } from './rows/cold-start.js';
import { emailRenderRow } from './rows/email-render.js';
import { notifierOverheadRow } from './rows/notifier-overhead.js';
import { slackBuildRow } from './rows/slack-build.js';
import { smtpDeliveryRow } from './rows/smtp-delivery.js';
import { stormRow } from './rows/storm.js';
import { stormDigestRow } from './rows/storm-digest.js';
import { webhookDeliveryRow } from './rows/webhook-delivery.js';

/** Every row, in the order a full run takes them. */
const rows: Row[] = [
  emailRenderRow,
  emailColdRow,
  slackBuildRow,
  webhookDeliveryRow,
  smtpDeliveryRow,
  notifierOverheadRow,
  coldRow,
  batchMemoryRow,
  stormRow,
  stormDigestRow,
  consoleRedisRow,
  queueEnqueueRow,
  queueDeliveryRow,
  queueLatencyRow,
  queueConversationRow,
  queueScalingRow,
  queueStormRow,
  queueMemoryRow,
];

// A row's loops stop at its ceiling, a sample in progress a quarter of the ceiling later; the rest
// of this grace is for the clean-up after the last loop.
const graceMs = (row: Row) => row.ceilingMs / 4 + 15_000;

function usage(message: string): never {
  console.error(`${message}\n\nusage: pnpm bench [-- --row NAME [--row NAME ...]]\nrows:`);
  for (const r of rows) console.error(`  ${r.name.padEnd(16)} ${r.what}`);
  process.exit(2);
}

function selected(argv: readonly string[]): Row[] {
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--list') usage('rows of pnpm bench:');
    if (arg === '--row' || arg.startsWith('--row=')) {
      const value = arg === '--row' ? argv[++i] : arg.slice('--row='.length);
      if (!value) usage('--row needs a row name');
      names.push(...value.split(','));
      continue;
    }
    usage(`unknown argument '${arg}'`);
  }
  if (names.length === 0) return rows;
  const unknown = names.filter((n) => !rows.some((r) => r.name === n));
  if (unknown.length) usage(`no row named ${unknown.map((n) => `'${n}'`).join(', ')}`);
  return rows.filter((r) => names.includes(r.name));
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function table(results: readonly (Result & { row: string })[]): string {
  const header = ['row', 'ours', 'raw / peer', 'ratio', 'ratio of', 'bar', 'result'];
  const lines = results.map((r) => [
    r.name,
    r.ours,
    r.raw,
    num(r.ratio),
    r.ratioOf,
    r.bar,
    r.pass === null ? 'report' : r.pass ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const show = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [show(header), show(widths.map((w) => '-'.repeat(w))), ...lines.map(show)].join('\n');
}

const chosen = selected(process.argv.slice(2));
const started = performance.now();
const loadAtStart = load();
console.log(
  `PyTake Notify benchmarks: node ${process.version}, ${cpus().length} cores, NODE_ENV=${process.env.NODE_ENV ?? ''}, load average ${loadAtStart}`,
);
console.log(
  'Ratios compare ours with the raw library (or the ideal) measured in this run; absolute numbers drift.\n',
);

const all: (Result & { row: string; hits: string[] })[] = [];
const timings: Record<string, number> = {};
for (const row of chosen) {
  console.log(`── ${row.name} (ceiling ${row.ceilingMs / 1000} s): ${row.what}`);
  const b = budget(row.ceilingMs);
  const t0 = performance.now();
  let results: Result[];
  let timer: NodeJS.Timeout | undefined;
  try {
    results = await Promise.race([
      row.run(b),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `did not finish within its ceiling of ${row.ceilingMs / 1000} s (and ${graceMs(row) / 1000} s of grace)`,
              ),
            ),
          row.ceilingMs + graceMs(row),
        );
      }),
    ]);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    b.hit(message);
    results = [
      {
        name: row.name,
        ours: '-',
        raw: '-',
        ratio: Number.NaN,
        ratioOf: '-',
        bar: '-',
        pass: false,
        note: message,
      },
    ];
  } finally {
    clearTimeout(timer);
  }
  const seconds = (performance.now() - t0) / 1000;
  timings[row.name] = seconds;
  for (const r of results) all.push({ ...r, row: row.name, hits: b.hits });
  console.log(table(results.map((r) => ({ ...r, row: row.name }))));
  for (const r of results) if (r.note) console.log(`  ${r.name}: ${r.note}`);
  if (b.hits.length) console.log(`  HIT ITS CEILING (${row.ceilingMs / 1000} s): ${b.hits.join('; ')}`);
  console.log(`  ${row.name}: ${seconds.toFixed(1)} s, load average ${load()}\n`);
}

const totalSeconds = (performance.now() - started) / 1000;
console.log('== results');
console.log(table(all));
const cut = chosen.filter((r) => all.some((a) => a.row === r.name && a.hits.length));
console.log(
  `\n${chosen.length} rows in ${totalSeconds.toFixed(1)} s; load average ${loadAtStart} at the start, ${load()} at the end.`,
);
if (cut.length) console.log(`rows that hit their ceiling: ${cut.map((r) => r.name).join(', ')}`);
const missed = all.filter((r) => r.pass === false);
console.log(missed.length ? `MISS: ${missed.map((r) => r.name).join('; ')}` : 'every bar PASSED');

const dir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, at: new Date(), loadAtStart, loadAtEnd: load(), totalSeconds, timings, results: all }, null, 2)}\n`,
);
console.log(`written to ${file}`);
// Leftovers of a row cut at its ceiling (sockets, timers) must not keep the run alive.
process.exit(0);
