import { createSlackWebhookChannel } from '@pytake/notify-slack';
import { renderAlertSlack } from '@pytake/notify-templates';
import { fixtures } from '@pytake/notify-templates/fixtures';
import { IncomingWebhook } from '@slack/webhook';
import { atLeast, atMost, interleave, median, type Row, rate } from '../harness.js';
import { startSinkProcess } from '../servers/sink-process.js';

const PER_ROUND = 300;
const CONCURRENCY = 10;

/**
 * Posts to a loopback webhook sink that runs in its own process, so that this process's CPU is the
 * client's alone. Ours: `createSlackWebhookChannel` (rate limiter off) `sendBatch`. Raw:
 * @slack/webhook's `IncomingWebhook.send`, driven by the same number of workers.
 */
export const webhookDeliveryRow: Row = {
  name: 'webhook',
  what: `webhook posts, rounds of ${PER_ROUND} at concurrency ${CONCURRENCY}: createSlackWebhookChannel vs @slack/webhook (throughput and CPU per post)`,
  ceilingMs: 20_000,
  async run(b) {
    const sink = await startSinkProcess();
    try {
      const webhookUrl = sink.url('/services/T000/B000/XXXXXXXX');
      const message = renderAlertSlack(fixtures['created-critical']);
      const channel = createSlackWebhookChannel({ allowedHosts: ['127.0.0.1'], rateLimit: false });
      const webhook = new IncomingWebhook(webhookUrl);
      const ours = async () => {
        const results = await channel.sendBatch(
          (function* () {
            for (let i = 0; i < PER_ROUND && !b.overdue(); i++)
              yield { webhookUrl, message, threadKey: 'a1' };
          })(),
          { concurrency: CONCURRENCY },
        );
        if (results.some((r) => !r.ok)) throw new Error('ours: a post failed');
        return results.length;
      };
      const raw = async () => {
        let sent = 0;
        const worker = async () => {
          while (sent < PER_ROUND && !b.overdue()) {
            sent++;
            await webhook.send(message);
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        return sent;
      };
      // Warm-up: connections, JIT; a short round, so that a loaded machine leaves time to measure.
      await channel.sendBatch(
        Array.from({ length: 100 }, () => ({ webhookUrl, message })),
        { concurrency: CONCURRENCY },
      );
      for (let i = 0; i < 100; i++) await webhook.send(message);
      const s = await interleave(ours, raw, { warmup: 0, pairs: 4, minPairs: 1 }, b);
      const oursRate = median(s.oursRate);
      const rawRate = median(s.rawRate);
      const oursCpu = median(s.oursCpu);
      const rawCpu = median(s.rawCpu);
      return [
        {
          name: 'webhook posts, throughput',
          ours: rate(oursRate, 'posts'),
          raw: rate(rawRate, 'posts'),
          ratio: oursRate / rawRate,
          ratioOf: 'ours/raw throughput',
          ...atLeast(oursRate / rawRate, 1.0),
          data: { oursRate, rawRate, rounds: s.ours.length },
        },
        {
          name: 'webhook posts, CPU per post',
          ours: `${oursCpu.toFixed(0)} µs`,
          raw: `${rawCpu.toFixed(0)} µs`,
          ratio: oursCpu / rawCpu,
          ratioOf: 'ours/raw CPU',
          ...atMost(oursCpu / rawCpu, 1.0),
          data: { oursCpuUs: oursCpu, rawCpuUs: rawCpu },
        },
      ];
    } finally {
      sink.stop();
    }
  },
};
