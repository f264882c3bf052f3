import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printRows, type Row } from './harness.js';
import { batchMemory } from './rows/batch-memory.js';
import { coldStartRows } from './rows/cold-start.js';
import { emailRenderRow } from './rows/email-render.js';
import { notifierOverheadRow } from './rows/notifier-overhead.js';
import { slackBuildRow } from './rows/slack-build.js';
import { smtpDeliveryRow } from './rows/smtp-delivery.js';
import { storm } from './rows/storm.js';
import { webhookDeliveryRows } from './rows/webhook-delivery.js';

// `pnpm bench [row ...]` runs every row, or only those whose name starts with one of the arguments:
// email, slack, smtp, webhook, notifier, cold, memory, storm.
const only = process.argv.slice(2);
const wanted = (key: string) => only.length === 0 || only.some((o) => key.startsWith(o));

console.log(`PyTake Notify benchmarks, node ${process.version}, NODE_ENV=${process.env.NODE_ENV ?? ''}`);
console.log('Ratios are ours / raw measured in this run; absolute numbers drift from run to run.\n');

const rows: Row[] = [];
const steps: [string, () => Promise<Row | Row[]>][] = [
  ['email', emailRenderRow],
  ['slack', slackBuildRow],
  ['smtp', smtpDeliveryRow],
  ['webhook', webhookDeliveryRows],
  ['notifier', notifierOverheadRow],
  ['cold', async () => coldStartRows()],
];
for (const [key, run] of steps) {
  if (!wanted(key)) continue;
  process.stdout.write(`running ${key}...\n`);
  const result = await run();
  rows.push(...(Array.isArray(result) ? result : [result]));
}
console.log();
printRows(rows);

const memory = wanted('memory') ? await batchMemory() : undefined;
if (memory) {
  console.log('\nsendBatch peak RSS (fresh process per batch; must stay flat as the batch grows):');
  for (const p of memory)
    console.log(`  ${String(p.messages).padStart(6)} messages: ${p.peakRssMb} MB peak RSS, ${p.seconds} s`);
}
const stormResult = wanted('storm') ? await storm() : undefined;
if (stormResult) {
  const s = stormResult;
  console.log(
    `\nstorm: ${s.events} events, ${s.organizations} orgs: ${s.seconds} s against an ideal of ${s.idealSeconds} s (ratio ${s.ratioToIdeal}, bar <= 1.2); ` +
      `${s.delivered} delivered, ${s.first429s} first 429s, ${s.repeated429s} repeated 429s (bar 0): ${s.pass ? 'ok' : 'MISSED'}`,
  );
}

const dir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, at: new Date(), rows, memory, storm: stormResult }, null, 2)}\n`,
);
console.log(`\nwritten to ${file}`);
const missed = rows.filter((r) => r.pass === false).map((r) => r.name);
if (missed.length) console.log(`rows that missed their bar: ${missed.join('; ')}`);
