import {
  type AlertEvent,
  type Channel,
  createNotifier,
  createStaticDirectory,
  type DeliveryReceipt,
  type EmailDelivery,
  parseAlertEvent,
  type SlackDelivery,
} from '@pytake/notify-core';
import type { SlackMessage } from '@pytake/notify-slack';
import {
  renderAlertEmail,
  renderAlertSlack,
  renderEmailForTenant,
  renderSlackForTenant,
} from '@pytake/notify-templates';
import { fixtures } from '@pytake/notify-templates/fixtures';
import { atMost, type Budget, interleave, median, ms, type Result, type Row, type Task } from '../harness.js';

const receipt: DeliveryReceipt = { attempts: 1, durationMs: 0 };
// Channels that answer at once, so that only the notifier's own work and the renders are compared.
const emailChannel: Channel<EmailDelivery> = { kind: 'email', send: async () => receipt };
const slackChannel: Channel<SlackDelivery<SlackMessage>> = { kind: 'slack', send: async () => receipt };

const organizationId = 'org-bench';
const tenant = {
  organizationId,
  email: { to: ['ops@example.com', 'lead@example.com'] },
  slack: {
    webhooks: [
      { url: 'https://hooks.slack.com/services/T0/B1/aaaa' },
      { url: 'https://hooks.slack.com/services/T0/B2/bbbb' },
    ],
  },
};
const template = fixtures['created-critical'];
let n = 0;
/** A new occurrence each call, so that idempotency never turns a call into a cheap 'duplicate'. */
const nextEvent = (): AlertEvent => ({
  ...template,
  alert: { ...template.alert, organizationId },
  occurredAt: new Date(template.occurredAt.getTime() + ++n),
});
function notifierWith(
  render: { email: typeof renderEmailForTenant; slack: typeof renderSlackForTenant },
  options: { idempotency?: false } = {},
) {
  return createNotifier({
    directory: createStaticDirectory([tenant]),
    routes: {
      email: { channel: emailChannel, render: render.email },
      slack: { channel: slackChannel, render: render.slack },
    },
    ...options,
  });
}

/** Median ms per call of `one`, `perSample` calls per sample, interleaved with `other`. */
async function pair(ours: Task, raw: Task, perSample: number, pairs: number, b: Budget) {
  const times = (task: Task) => async () => {
    for (let i = 0; i < perSample; i++) await task();
  };
  const s = await interleave(times(ours), times(raw), { warmup: 3, pairs, minPairs: 3 }, b);
  return { ours: median(s.ours) / perSample, raw: median(s.raw) / perSample, pairs: s.ours.length };
}

export const notifierOverheadRow: Row = {
  name: 'notifier',
  what: 'notify() of one event to 1 email + 2 webhooks (instant channels) vs rendering and sending by hand; and the fast path for parsed events on and off',
  ceilingMs: 20_000,
  async run(b) {
    const real = notifierWith({ email: renderEmailForTenant, slack: renderSlackForTenant });
    // What compiled templates leave: a render that costs next to nothing (here: none at all), so
    // the notifier's own costs, parsing included, show at their largest share.
    const email = await renderAlertEmail(template);
    const slack = renderAlertSlack(template);
    const instant = notifierWith({ email: async () => email, slack: () => slack });
    const check = (report: { summary: { delivered: number } }) => {
      if (report.summary.delivered !== 3) throw new Error('notifier row: expected 3 deliveries');
    };
    check(await real.notify(nextEvent()));

    const handWritten = async () => {
      const event = nextEvent();
      const threadKey = event.alert.id;
      const [e, s] = await Promise.all([renderAlertEmail(event), renderAlertSlack(event)]);
      await Promise.all([
        emailChannel.send({ ...e, to: tenant.email.to, threadKey }),
        ...tenant.slack.webhooks.map((w) => slackChannel.send({ webhookUrl: w.url, message: s, threadKey })),
      ]);
    };
    const overhead = await pair(async () => check(await real.notify(nextEvent())), handWritten, 5, 20, b);
    const results: Result[] = [
      {
        name: 'notifier, 1 email + 2 webhooks, real templates',
        ours: ms(overhead.ours),
        raw: ms(overhead.raw),
        ratio: overhead.ours / overhead.raw,
        ratioOf: 'ours/raw time',
        ...atMost(overhead.ours / overhead.raw, 1.15),
        note: `notify() adds ${((overhead.ours - overhead.raw) * 1000).toFixed(0)} µs per event over rendering and sending by hand`,
        data: overhead,
      },
    ];

    const fastPath = async (label: string, notifier: typeof real, perSample: number) => {
      // "Off" parses the event with zod first, as notify() does for every event when there is no
      // fast path (the fast path's own check, a few µs, stays in both, so the saving shown is if
      // anything a little low). Valid whether parsed-alert-event.ts exists or not.
      const m = await pair(
        async () => check(await notifier.notify(nextEvent())),
        async () => {
          const event = nextEvent();
          parseAlertEvent(event);
          check(await notifier.notify(event));
        },
        perSample,
        20,
        b,
      );
      const savedUs = (m.raw - m.ours) * 1000;
      results.push({
        name: `notifier fast path on / off, ${label}`,
        ours: ms(m.ours),
        raw: ms(m.raw),
        ratio: m.ours / m.raw,
        ratioOf: 'on/off time',
        bar: 'report',
        pass: null,
        note: `the fast path saves ${savedUs.toFixed(0)} µs per event, ${((100 * savedUs) / 1000 / m.raw).toFixed(1)}% of notify() (${label})`,
        data: { ...m, savedUs },
      });
    };
    await fastPath('real templates', real, 5);
    await fastPath('instant renders (compiled templates at their fastest)', instant, 100);

    // What the effectively-once guarantee costs: the claim and the delivered mark of each target, on
    // the default in-memory store, with instant renders so that they show at their largest share.
    const unclaimed = notifierWith({ email: async () => email, slack: () => slack }, { idempotency: false });
    const claims = await pair(
      async () => check(await instant.notify(nextEvent())),
      async () => check(await unclaimed.notify(nextEvent())),
      100,
      20,
      b,
    );
    results.push({
      name: 'notifier idempotency on / off, instant renders',
      ours: ms(claims.ours),
      raw: ms(claims.raw),
      ratio: claims.ours / claims.raw,
      ratioOf: 'on/off time',
      bar: 'report',
      pass: null,
      note: `claiming and marking 3 targets costs ${((claims.ours - claims.raw) * 1000).toFixed(1)} µs per event; the rest of notify() with instant renders is the deadline, records, spans and routing`,
      data: claims,
    });

    // The cost that the fast path avoids, alone: zod's parse of an event that is already parsed.
    const parsed = nextEvent();
    const zod = await pair(
      () => parseAlertEvent(parsed),
      () => parseAlertEvent(parsed),
      200,
      5,
      b,
    );
    results.push({
      name: 'parseAlertEvent() of a parsed event, alone',
      ours: ms((zod.ours + zod.raw) / 2),
      raw: '-',
      ratio: Number.NaN,
      ratioOf: '-',
      bar: 'report',
      pass: null,
      note: 'zod on a warm cache, outside notify(); inside notify() the same parse costs several times more (the fast path rows)',
      data: zod,
    });
    return results;
  },
};
