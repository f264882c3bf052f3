import type { AlertDigest, AlertEvent } from '@pytake/notify-core';
import { SLACK_LIMITS, type SlackMessage, validateSlackMessage } from '@pytake/notify-slack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestFixture } from '../fixtures/index.js';
import { hostile } from '../testing/hostile.js';
import { blocksOf, texts } from '../testing/slack-message-parts.js';
import { renderDigestSlack } from './render-digest-slack.js';

const options = { dashboardUrl: 'https://app.pytake.net/alerts', organizationName: 'Acme' };
/** Anything that would notify someone in Slack, escaped or not in the source. */
const mention = /<!channel>|<!here>|<!everyone>|<@[UW]|<!subteam\^/;

const sectionTexts = (message: SlackMessage) =>
  blocksOf(message)
    .filter((b) => b.type === 'section')
    .map((b) => (b.text as { text: string }).text);
/** The alerts' lines: `🟠 *High* · …` (the heading is `*🔴 12 alerts…*`, the link `<…>`). */
const sectionLines = (message: SlackMessage) =>
  sectionTexts(message)
    .filter((text) => /^\S+ \*/.test(text))
    .flatMap((text) => text.split('\n'));
const contextTexts = (message: SlackMessage) =>
  blocksOf(message)
    .filter((b) => b.type === 'context')
    .map((b) => (b.elements as { text: string }[])[0]!.text);
/** The number in "…and N more" ("…e mais N"), 0 without one. */
const moreCount = (message: SlackMessage) => {
  const more = contextTexts(message).find((text) => text.startsWith('…'));
  return more ? Number(more.replace(/\D/g, '')) : 0;
};
const blockText = (message: SlackMessage) => {
  const { mrkdwn, plain } = texts(message);
  return [...mrkdwn.slice(1), ...plain].reduce((sum, text) => sum + text.length, 0);
};

describe('renderDigestSlack', () => {
  it('heads the message with the organization and the counts by severity and kind (en)', () => {
    const message = renderDigestSlack(digestFixture(12), options);
    expect(sectionTexts(message)[0]).toBe('*🔴 12 alerts in Acme*');
    expect(contextTexts(message)[0]).toBe(
      '*2 critical, 3 high, 4 medium, 3 low* · 8 new, 2 resolved, 1 escalated, 1 stale',
    );
    expect(message.text).toBe('🔴 12 alerts in Acme: 2 critical, 3 high, 4 medium, 3 low');
  });

  it('heads the message with the organization and the counts by severity and kind (pt-BR)', () => {
    const message = renderDigestSlack(digestFixture(12), { ...options, locale: 'pt-BR' });
    expect(sectionTexts(message)[0]).toBe('*🔴 12 alertas em Acme*');
    expect(contextTexts(message)[0]).toBe(
      '*2 críticos, 3 altos, 4 médios, 3 baixos* · 8 novos, 2 resolvidos, 1 escalado, 1 parado',
    );
    const one = renderDigestSlack(digestFixture(1), { locale: 'pt-BR' });
    expect(sectionTexts(one)[0]).toBe('*🔴 1 alerta em Acme Corp*');
  });

  it('lists the alerts most severe first, the latest event first within a severity', () => {
    const lines = sectionLines(renderDigestSlack(digestFixture(12), options));
    expect(lines.map((line) => line.split(' ')[0]).join('')).toBe('🔴🔴🟠🟠🟠🟡🟡🟡🟡🟢🟢🟢');
    expect(lines[0]).toBe(
      '🔴 *Critical* · <https://app.pytake.net/alerts/alrt_11|Message delivery rate below 90% #11> · New alert · 4 minutes ago',
    );
    expect(lines[1]).toContain('Message delivery rate below 90% #1>');
    expect(lines[1]).toContain('New alert · 27 minutes ago');
  });

  it('shows an alert created and resolved within the interval as resolved (the event it is given)', () => {
    const digest = digestFixture(5);
    const event = digest.events[4]!;
    expect(event.type).toBe('alert.resolved');
    const only: AlertDigest = { ...digest, events: [event] };
    expect(sectionLines(renderDigestSlack(only, options))[0]).toContain('· Alert resolved ·');
    expect(contextTexts(renderDigestSlack(only, options))[0]).toBe('*1 medium* · 1 resolved');
  });

  it('links the organization’s alert list, and says how many are not listed', () => {
    const message = renderDigestSlack(digestFixture(2_000), options);
    const blocks = blocksOf(message);
    expect((blocks.at(-1)!.text as { text: string }).text).toBe(
      '<https://app.pytake.net/alerts|Open the alert list>',
    );
    expect(sectionLines(message).length + moreCount(message)).toBe(2_000);
    expect(contextTexts(message).at(-1)).toMatch(/^…and 1,9\d\d more$/);
  });

  it('never mentions anyone, even for escalations with mentionOnEscalation set', () => {
    const digest = digestFixture(60);
    expect(digest.events.some((e) => e.type === 'alert.escalated')).toBe(true);
    const message = renderDigestSlack(digest, { ...options, mentionOnEscalation: true });
    expect(JSON.stringify(message)).not.toMatch(mention);
    expect(JSON.stringify(message)).toContain('&lt;!channel&gt;');
  });

  // Titles that have broken Slack messages: markup and mentions, entities, lone surrogates, long
  // runs of characters that escaping lengthens.
  const title = fc.oneof(
    fc.constantFrom(
      hostile('title'),
      '<!channel>',
      '<!here|here>',
      '<@U0123ABCD>',
      '&'.repeat(255),
      '<'.repeat(255),
      '*_~`',
    ),
    fc.string({ minLength: 1, maxLength: 255 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  );
  const withTitles = (digest: AlertDigest, titles: string[]): AlertDigest => ({
    ...digest,
    events: digest.events.map(
      (event, i) =>
        ({ ...event, alert: { ...event.alert, title: titles[i % titles.length]! } }) as AlertEvent,
    ),
  });

  it('fits Slack’s limits for any number of alerts, listing what fits and counting the rest', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10_000 }), fc.constant(10_000)),
        fc.array(title, { minLength: 1, maxLength: 20 }),
        fc.constantFrom('en', 'pt-BR') as fc.Arbitrary<'en' | 'pt-BR'>,
        fc.oneof(fc.constant('Acme'), title),
        fc.boolean(),
        (count, titles, locale, organizationName, dashboard) => {
          const digest = withTitles(digestFixture(count), titles);
          const message = renderDigestSlack(digest, {
            locale,
            organizationName,
            mentionOnEscalation: true,
            ...(dashboard ? { dashboardUrl: 'https://app.pytake.net/alerts?org=acme&x=<y>' } : {}),
          });
          expect(validateSlackMessage(message)).toEqual([]);
          expect(blocksOf(message).length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
          expect(blockText(message)).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
          const listed = sectionLines(message).length;
          expect(listed).toBeGreaterThan(0);
          expect(listed + moreCount(message)).toBe(count);
          expect(JSON.stringify(message)).not.toMatch(mention);
        },
      ),
      { seed: 20_251_214, numRuns: 30 },
    );
  });
});

describe('renderDigestSlack and an empty digest', () => {
  it('says there are no alerts, within Slack’s limits', () => {
    const message = renderDigestSlack({ ...digestFixture(1), events: [] }, options);
    expect(message.text).toBe('🟢 0 alerts in Acme');
    expect(validateSlackMessage(message)).toEqual([]);
  });
});
