import { type AlertEvent, isNotifyError, LOCALES } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { fixtureEntries, fixtures } from '../fixtures/index.js';
import { hostileFields, withHostileText } from '../testing/hostile.js';
import { htmlProblems } from '../testing/html-validity.js';
import { renderAlertEmail } from './render-alert-email.js';

const options = { timeZone: 'America/Sao_Paulo', dashboardUrl: 'https://app.pytake.net/alerts' };

describe('renderAlertEmail', () => {
  describe('every fixture', () => {
    for (const { name, event } of fixtureEntries) {
      for (const locale of LOCALES) {
        it(`renders ${name} in ${locale} as valid HTML with a plain-text part`, async () => {
          const email = await renderAlertEmail(event, { ...options, locale });
          expect(email.subject).toContain(event.alert.title.replace(/\s+/g, ' ').trim());
          expect(email.html).toMatch(new RegExp(`<html dir="ltr" lang="${locale}"`));
          expect(await htmlProblems(email.html)).toEqual([]);
          expect(email.text).toContain(event.alert.title);
          // Written from the data, not converted from the HTML: no trace of the markup or its styles.
          expect(email.text).not.toMatch(/style="|cellPadding|data-skip-in-text/);
        });
      }
    }
  });

  describe('subject', () => {
    const subjects = async (locale: 'en' | 'pt-BR') =>
      Promise.all(
        (
          [
            'created-critical',
            'escalated-admin',
            'escalated-high',
            'resolved-after-3-days',
            'stale-9-days',
          ] as const
        ).map(async (name) => (await renderAlertEmail(fixtures[name], { locale })).subject),
      );

    it('says what happened, in English', async () => {
      expect(await subjects('en')).toMatchInlineSnapshot(`
        [
          "🚨 Alert: Database connection pool exhausted",
          "⚠️ Alert Escalated to Admin: Database connection pool exhausted",
          "⚠️ Alert Escalated to Level 2: WhatsApp template rejected by Meta",
          "✅ Alert Resolved: WhatsApp template rejected by Meta",
          "⏰ Stale Alert: Message delivery rate below 90% (inactive for 9 days)",
        ]
      `);
    });

    it('says what happened, in Portuguese', async () => {
      expect(await subjects('pt-BR')).toMatchInlineSnapshot(`
        [
          "🚨 Alerta: Database connection pool exhausted",
          "⚠️ Alerta escalado para Admin: Database connection pool exhausted",
          "⚠️ Alerta escalado para Nível 2: WhatsApp template rejected by Meta",
          "✅ Alerta resolvido: WhatsApp template rejected by Meta",
          "⏰ Alerta parado: Message delivery rate below 90% (inativo há 9 dias)",
        ]
      `);
    });

    it('keeps a title with line breaks on one line', async () => {
      const event = {
        ...fixtures['created-low'],
        alert: { ...fixtures['created-low'].alert, title: 'Disk\nfull\t on db-1' },
      };
      expect((await renderAlertEmail(event as AlertEvent)).subject).toBe('🚨 Alert: Disk full on db-1');
    });
  });

  describe('content', () => {
    it('shows dates in the organization time zone, in Portuguese', async () => {
      const email = await renderAlertEmail(fixtures['created-critical'], {
        locale: 'pt-BR',
        timeZone: 'America/Sao_Paulo',
      });
      // Created at 14:30 UTC, which is 11:30 in São Paulo (UTC-3, no daylight saving since 2019).
      expect(email.text).toContain('Criado em: 14 de dez. de 2025, 11:30 GMT-3');
      expect(email.html).toContain('14 de dez. de 2025, 11:30 GMT-3');
    });

    it('shows dates in UTC by default', async () => {
      const email = await renderAlertEmail(fixtures['created-critical']);
      expect(email.text).toContain('Created: Dec 14, 2025, 2:30 PM GMT+0');
    });

    it('shows how long a resolved alert was open, localized', async () => {
      const en = await renderAlertEmail(fixtures['resolved-after-3-days']);
      const pt = await renderAlertEmail(fixtures['resolved-after-3-days'], { locale: 'pt-BR' });
      expect(en.text).toContain('Open for: 3 days 4 hours');
      expect(en.html).toContain('Resolved after being open for 3 days 4 hours.');
      expect(pt.text).toContain('Duração: 3 dias e 4 horas');
      expect(en.text).toContain('Resolved by: Rafael Lima');
      expect(en.text).toContain(
        'Resolution notes:\nMeta approved the revised template.\nResent the 1,204 queued messages.',
      );
    });

    it('shows an escalation to level 3 as Admin, with the reason and the assignee', async () => {
      const email = await renderAlertEmail(fixtures['escalated-admin']);
      expect(email.text).toContain('Escalated from Level 2 to Admin.');
      expect(email.text).toContain('Reason: Level 2 did not acknowledge within 60 minutes');
      expect(email.text).toContain('Assigned to: On-call administrator');
    });

    it('tells the owner of a stale alert to act', async () => {
      const email = await renderAlertEmail(fixtures['stale-9-days']);
      expect(email.text).toContain('Inactive for: 9 days');
      expect(email.text).toContain('Current owner: Marina Costa');
      expect(email.html).toContain('Please review this alert');
    });

    it('says how long a stale alert was inactive in the unit that fits, in both locales', async () => {
      const stale = fixtures['stale-9-days'];
      const fiveHours = {
        ...stale,
        lastActivityAt: new Date(stale.occurredAt.getTime() - 5 * 3_600_000 - 59 * 60_000),
      };
      expect((await renderAlertEmail(fiveHours)).subject).toContain('(inactive for 5 hours)');
      const pt = await renderAlertEmail(fiveHours, { locale: 'pt-BR' });
      expect(pt.subject).toContain('(inativo há 5 horas)');
      expect(pt.subject).not.toMatch(/\b0 dias?\b/);
      expect((await renderAlertEmail(stale, { locale: 'pt-BR' })).subject).toContain('(inativo há 9 dias)');
    });

    it('uses the severity color for the badge and the brand color for the button', async () => {
      const email = await renderAlertEmail(fixtures['created-high'], {
        brand: { name: 'Acme Ops', color: '#123456' },
      });
      expect(email.html).toContain('background-color:#ff9800');
      expect(email.html).toMatch(
        /<a href="https:\/\/app\.pytake\.net\/alerts\/alrt_high_001"[^>]*background-color:#123456/,
      );
      expect(email.html).toContain('Acme Ops');
      expect(email.text).toContain('\nAcme Ops\n');
    });

    it('links the dashboard when the alert has no url, and says so when there is no link at all', async () => {
      const event = fixtures['hard-no-optional-fields'];
      const linked = await renderAlertEmail(event, { dashboardUrl: 'https://app.pytake.net/alerts' });
      expect(linked.text).toContain('View Alert: https://app.pytake.net/alerts');
      const unlinked = await renderAlertEmail(event);
      expect(unlinked.html).not.toContain('<a ');
      expect(unlinked.text).toContain('Open the dashboard to see this alert.');
      // Without an organization name the id stands in.
      expect(unlinked.text).toContain('Organization: org_acme');
    });

    it('writes the plain-text part for reading, not as a dump of the HTML', async () => {
      const { text } = await renderAlertEmail(fixtures['created-critical']);
      expect(text).toMatchInlineSnapshot(`
        "New alert · Critical
        Database connection pool exhausted

        A new critical severity alert needs attention.

        Description:
        The primary database refused new connections for 5 minutes; message sending is paused.

        Severity: Critical
        Category: system
        Organization: Acme Corp
        Created: Dec 14, 2025, 2:30 PM GMT+0

        View Alert: https://app.pytake.net/alerts/alrt_critical_001

        -- 
        PyTake
        You receive this because you are on the alert list of Acme Corp in PyTake.
        "
      `);
    });
  });

  describe('safety', () => {
    for (const name of ['created-critical', 'escalated-high', 'resolved-low', 'stale-medium'] as const) {
      it(`escapes every text field of ${fixtures[name].type}`, async () => {
        const event = withHostileText(fixtures[name]);
        const { html } = await renderAlertEmail(event);
        expect(html).not.toContain('<img');
        expect(html).not.toMatch(/<[^>]*\sonerror=/i);
        expect(await htmlProblems(html)).toEqual([]);
        // Every hostile field reached the HTML, as text (with zero-width spaces where it may wrap).
        const shown = html.replaceAll('\u200b', '');
        expect(shown).toContain('&lt;img src=x onerror=alert(&#x27;title&#x27;)&gt;');
        for (const field of hostileFields(event))
          expect(shown).toContain(`onerror=alert(&#x27;${field}&#x27;)`);
      });
    }

    it('shows a <script> title as text', async () => {
      const { html, subject } = await renderAlertEmail(fixtures['hard-html-and-mrkdwn']);
      expect(html).not.toMatch(/<script|<style>|<img|<b>|<i>|href="javascript:/i);
      expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
      expect(subject).toContain('<script>'); // a subject is plain text: the mail client shows it as is
    });

    it('drops a javascript: url instead of linking it', async () => {
      const base = fixtures['created-critical'];
      const event = {
        ...base,
        alert: { ...base.alert, url: 'javascript:alert(document.cookie)' },
      } as AlertEvent;
      const { html, text } = await renderAlertEmail(event);
      expect(html).not.toContain('javascript:');
      expect(text).not.toContain('javascript:');
      expect(text).toContain('Open the dashboard to see this alert.');
    });

    it('keeps the whole 5,000-character description in the email', async () => {
      const { text } = await renderAlertEmail(fixtures['hard-long-description']);
      expect(text).toContain(fixtures['hard-long-description'].alert.description);
    });
  });

  describe('errors', () => {
    it('rejects a malformed event with a ValidationError naming the field', async () => {
      const input = {
        type: 'alert.created',
        occurredAt: '2025-12-14T14:30:00Z',
        alert: { id: 'a', title: 'x' },
      };
      const error = await renderAlertEmail(input as never).catch((e: unknown) => e);
      expect(isNotifyError(error) && error.code).toBe('validation');
      expect(String(error)).toMatch(/alert\.severity/);
    });

    it('accepts the JSON form of an event', async () => {
      const email = await renderAlertEmail(JSON.parse(JSON.stringify(fixtures['stale-9-days'])));
      expect(email.subject).toContain('inactive for 9 days');
    });

    it('rejects bad options with a ConfigError naming each option', async () => {
      const error = await renderAlertEmail(fixtures['created-low'], {
        locale: 'fr' as never,
        timeZone: 'Mars/Olympus',
        dashboardUrl: 'javascript:alert(1)',
        brand: { name: '', color: 'red' },
      }).catch((e: unknown) => e);
      expect(isNotifyError(error) && error.code).toBe('config');
      expect((error as Error).message).toMatchInlineSnapshot(`
        "Invalid template options:
        - locale: expected one of en, pt-BR, got "fr"
        - timeZone: expected an IANA time zone such as America/Sao_Paulo, got "Mars/Olympus"
        - dashboardUrl: expected an absolute http or https URL, got "javascript:alert(1)"
        - brand.name: expected a non-empty string, got ""
        - brand.color: expected a hex color such as #1e40af, got "red""
      `);
    });
  });
});

describe('renderAlertEmail with firstReportedInDigest', () => {
  it('says in one line that a storm digest reported the alert first, in the HTML and the text', async () => {
    const event = fixtures['escalated-high'];
    const plain = await renderAlertEmail(event, options);
    const noted = await renderAlertEmail(event, { ...options, firstReportedInDigest: 'dgst_1' });
    const line = 'First reported in a digest of this alert storm.';
    expect(noted.text.replace(`${line}\n\n`, '')).toBe(plain.text);
    expect(noted.text.split('\n')[3]).toBe(line);
    expect(noted.html).toContain(`>${line}</p>`);
    expect(noted.subject).toBe(plain.subject);
    expect(await htmlProblems(noted.html)).toEqual([]);
    const pt = await renderAlertEmail(event, {
      ...options,
      locale: 'pt-BR',
      firstReportedInDigest: 'dgst_1',
    });
    expect(pt.text).toContain('Informado antes em um resumo desta tempestade de alertas.');
  });
});
