/**
 * Webhook posts, ours vs @slack/webhook's IncomingWebhook, in one run: N posts at a given
 * concurrency to a keep-alive node:http receiver on 127.0.0.1 in another process (so that this
 * process's CPU is the client's alone), sides alternated. Reports throughput and CPU per post
 * (process.cpuUsage) and their ratios. Not a test: a measurement to run by hand, from the repository
 * root, after `pnpm build`:
 *
 *   pnpm --dir bench exec tsx ../packages/slack/scripts/measure-webhook-posts.ts [posts] [concurrency] [rounds]
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

// Resolved from bench/, whose dependencies hold all three (this folder has only the slack package's).
const fromBench = createRequire(new URL('../../../bench/package.json', import.meta.url));
const load = (specifier: string) => import(fromBench.resolve(specifier));
const { createSlackWebhookChannel } = (await load(
  '@pytake/notify-slack',
)) as typeof import('../src/index.js');
const { renderAlertSlack } = await load('@pytake/notify-templates');
const { fixtures } = await load('@pytake/notify-templates/fixtures');
const { IncomingWebhook } = await load('@slack/webhook');

const [posts = 2000, concurrency = 10, rounds = 4] = process.argv.slice(2).map(Number);

// The receiver: answers every post 200 `ok`, keep-alive, like the bench's webhook sink.
const receiver = `
const { createServer } = require('node:http');
const server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')); });
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;
const child = spawn(process.execPath, ['-e', receiver], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
const webhookUrl = `http://127.0.0.1:${port}/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX`;
const message = renderAlertSlack(fixtures['created-critical']);

const channel = createSlackWebhookChannel({ allowedHosts: ['127.0.0.1'], rateLimit: false });
const webhook = new IncomingWebhook(webhookUrl);

async function workers(post: () => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next++ < posts) await post();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
const sides = {
  ours: async () => {
    const results = await channel.sendBatch(
      (function* () {
        for (let i = 0; i < posts; i++) yield { webhookUrl, message, threadKey: 'a1' };
      })(),
      { concurrency },
    );
    if (results.some((r) => !r.ok)) throw new Error('ours: a post failed');
  },
  raw: () => workers(() => webhook.send(message)),
};

type Sample = { ms: number; cpuUs: number };
const samples: Record<keyof typeof sides, Sample[]> = { ours: [], raw: [] };
async function run(name: keyof typeof sides) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sides[name]();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  samples[name].push({ ms, cpuUs: cpu.user + cpu.system });
}

await run('ours'); // warm-up, both sides
await run('raw');
samples.ours = [];
samples.raw = [];
for (let i = 0; i < rounds; i++) {
  for (const name of i % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const)) await run(name);
}
channel.close();
child.kill();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (name: keyof typeof sides) => ({
  postsPerSec: Math.round((posts * 1000) / median(samples[name].map((s) => s.ms))),
  cpuUsPerPost: Math.round((median(samples[name].map((s) => s.cpuUs)) / posts) * 10) / 10,
});
const ours = summary('ours');
const raw = summary('raw');
console.log(JSON.stringify({ posts, concurrency, rounds, ours, raw }));
console.log(
  `throughput ratio (ours/raw, higher is better): ${(ours.postsPerSec / raw.postsPerSec).toFixed(2)}; ` +
    `CPU per post ratio (raw/ours, higher is better): ${(raw.cpuUsPerPost / ours.cpuUsPerPost).toFixed(2)}`,
);
