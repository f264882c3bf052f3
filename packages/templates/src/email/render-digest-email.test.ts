import { type AlertDigest, type AlertEvent, LOCALES } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { breakDefaults } from '../break-long-words.js';
import { digestFixture } from '../fixtures/index.js';
import { longest, units } from '../testing/body-runs.js';
import { htmlProblems } from '../testing/html-validity.js';
import { renderDigestEmail } from './render-digest-email.js';

const options = { dashboardUrl: 'https://app.pytake.net/alerts', organizationName: 'Acme' };
const KB = 1024;
const bytes = (html: string) => Buffer.byteLength(html, 'utf8');
/** The titles of the listed rows, in order, as the plain-text part shows them (the line after each row's). */
const listedTitles = (text: string) =>
  text.split('\n').flatMap((line, i, lines) => (/ · .* · /.test(line) && i > 1 ? [lines[i + 1]!] : []));

describe('renderDigestEmail', () => {
  it('says the counts in the subject, in English and in Portuguese', async () => {
    const subjects = await Promise.all(
      LOCALES.flatMap((locale) =>
        [1, 12, 2_000].map(
          async (count) => (await renderDigestEmail(digestFixture(count), { ...options, locale })).subject,
        ),
      ),
    );
    expect(subjects).toMatchInlineSnapshot(`
      [
        "🚨 1 alert in Acme: 1 critical",
        "🚨 12 alerts in Acme: 2 critical, 3 high, 4 medium, 3 low",
        "🚨 2,000 alerts in Acme: 200 critical, 400 high, 800 medium, 600 low",
        "🚨 1 alerta em Acme: 1 crítico",
        "🚨 12 alertas em Acme: 2 críticos, 3 altos, 4 médios, 3 baixos",
        "🚨 2.000 alertas em Acme: 200 críticos, 400 altos, 800 médios, 600 baixos",
      ]
    `);
  });

  it('heads the body with the counts by severity and by event kind', async () => {
    const en = await renderDigestEmail(digestFixture(12), options);
    expect(en.text.split('\n').slice(0, 2)).toEqual([
      '12 alerts in Acme',
      '2 critical, 3 high, 4 medium, 3 low · 8 new, 2 resolved, 1 escalated, 1 stale',
    ]);
    expect(en.html).toContain(
      '2 critical, 3 high, 4 medium, 3 low · 8 new, 2 resolved, 1 escalated, 1 stale',
    );
    const pt = await renderDigestEmail(digestFixture(12), { ...options, locale: 'pt-BR' });
    expect(pt.text.split('\n').slice(0, 2)).toEqual([
      '12 alertas em Acme',
      '2 críticos, 3 altos, 4 médios, 3 baixos · 8 novos, 2 resolvidos, 1 escalado, 1 parado',
    ]);
    expect(pt.html).toContain('lang="pt-BR"');
  });

  it('lists the 50 most severe alerts, most severe first, then "…and N more" and the alert list', async () => {
    const email = await renderDigestEmail(digestFixture(2_000), options);
    const rows = email.text
      .split('\n')
      .filter((line) => / · .* · /.test(line) && !line.includes('alerts in'));
    expect(rows).toHaveLength(50);
    // The fixture has 200 critical alerts: the 50 listed are all critical.
    expect(new Set(rows.map((row) => row.split(' · ')[0]))).toEqual(new Set(['Critical']));
    expect(email.text).toContain('\n…and 1,950 more\n');
    expect(email.text).toContain('Open the alert list: https://app.pytake.net/alerts\n');
    expect(email.html).toContain('…and 1,950 more');
    expect(email.html).toContain('href="https://app.pytake.net/alerts"');

    const small = await renderDigestEmail(digestFixture(12), options);
    const severities = small.text.split('\n').filter((line) => /^(Critical|High|Medium|Low) · /.test(line));
    expect(severities.map((line) => line.split(' · ')[0])).toEqual([
      ...Array(2).fill('Critical'),
      ...Array(3).fill('High'),
      ...Array(4).fill('Medium'),
      ...Array(3).fill('Low'),
    ]);
    expect(small.text).not.toContain('more');
  });

  it('shows an alert created and resolved within the interval as resolved (the event it is given)', async () => {
    const digest = digestFixture(5);
    const only: AlertDigest = { ...digest, events: [digest.events[4]!] };
    const email = await renderDigestEmail(only, options);
    expect(email.text).toContain('Medium · Alert resolved · ');
    expect(email.text).toContain('1 medium · 1 resolved');
    expect(email.html).toContain('Alert resolved');
    expect(email.html).not.toContain('New alert');
  });

  for (const count of [2, 12, 60, 2_000]) {
    for (const locale of LOCALES) {
      it(`renders ${count} alerts in ${locale} as valid HTML that fits 320 px, under 100 KB`, async () => {
        const { html } = await renderDigestEmail(digestFixture(count), { ...options, locale });
        expect(await htmlProblems(html)).toEqual([]);
        expect(units(longest(html)), longest(html)).toBeLessThanOrEqual(breakDefaults.maxRun);
        expect(bytes(html)).toBeLessThan(100 * KB);
      });
    }
  }

  it('escapes every title: markup and entities show as text', async () => {
    const { html, text } = await renderDigestEmail(digestFixture(12), options);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&amp;amp;');
    expect(text).toContain('<script>alert(1)</script> &amp;');
  });

  it('stays under 100 KB for 2,000 alerts with the longest titles that escaping lengthens most', async () => {
    const digest = digestFixture(2_000);
    const worst: AlertDigest = {
      ...digest,
      events: digest.events.map(
        (event, i) =>
          ({
            ...event,
            alert: {
              ...event.alert,
              title: `${i % 2 ? '&' : '"'}${'<'.repeat(254)}`,
              url: `https://app.pytake.net/alerts/${'&'.repeat(1_000)}`,
            },
          }) as AlertEvent,
      ),
    };
    const email = await renderDigestEmail(worst, options);
    expect(bytes(email.html)).toBeLessThan(100 * KB);
    // Fewer rows than 50 fit, and the rest are counted.
    const listed = listedTitles(email.text).length;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(50);
    expect(email.text).toContain(`…and ${(2_000 - listed).toLocaleString('en')} more`);
  });
});

describe('renderDigestEmail and an empty digest', () => {
  it('says there are no alerts, as valid HTML', async () => {
    const email = await renderDigestEmail({ ...digestFixture(1), events: [] }, options);
    expect(email.subject).toBe('🚨 0 alerts in Acme');
    expect(await htmlProblems(email.html)).toEqual([]);
  });
});
