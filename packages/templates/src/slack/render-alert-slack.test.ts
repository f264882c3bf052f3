import { type AlertEvent, isNotifyError, LOCALES } from '@pytake/notify-core';
import { type SlackMessage, validateSlackMessage } from '@pytake/notify-slack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureEntries, fixtures } from '../fixtures/index.js';
import { hostileFields, withHostileText } from '../test-support/hostile.js';
import { renderAlertSlack } from './render-alert-slack.js';

type Json = Record<string, unknown>;

/** Every text object in the message, by type, plus the top-level fallback as mrkdwn. */
function texts(message: SlackMessage): { mrkdwn: string[]; plain: string[] } {
  const found = { mrkdwn: [message.text], plain: [] as string[] };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      const object = value as Json;
      if (object.type === 'mrkdwn') found.mrkdwn.push(object.text as string);
      else if (object.type === 'plain_text') found.plain.push(object.text as string);
      else Object.values(object).forEach(walk);
    }
  };
  walk(message.attachments);
  walk(message.blocks);
  return found;
}

const blocksOf = (message: SlackMessage) => (message.attachments?.[0]?.blocks ?? []) as unknown as Json[];
const buttonsOf = (message: SlackMessage) =>
  blocksOf(message)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[]);

/** Markup in mrkdwn that Slack acts on: mentions, links, channel refs. Escaped text has no `<` at all. */
const markup = /<|&(?!amp;|lt;|gt;)/;

describe('renderAlertSlack', () => {
  describe('every fixture', () => {
    for (const { name, event } of fixtureEntries) {
      for (const locale of LOCALES) {
        it(`renders ${name} in ${locale} within every Slack limit`, () => {
          const message = renderAlertSlack(event, { locale, timeZone: 'America/Sao_Paulo' });
          expect(validateSlackMessage(message)).toEqual([]);
          expect(message.attachments?.[0]?.color).toMatch(/^#[0-9a-f]{6}$/);
          for (const text of texts(message).mrkdwn.slice(1)) expect(text).not.toMatch(markup);
        });
      }
    }
  });

  describe('layout', () => {
    it('renders a new alert', () => {
      expect(renderAlertSlack(fixtures['created-critical'])).toMatchInlineSnapshot(`
        {
          "attachments": [
            {
              "blocks": [
                {
                  "text": {
                    "emoji": true,
                    "text": "🔴 New alert: Database connection pool exhausted",
                    "type": "plain_text",
                  },
                  "type": "header",
                },
                {
                  "elements": [
                    {
                      "text": "*Organization:* Acme Corp",
                      "type": "mrkdwn",
                    },
                  ],
                  "type": "context",
                },
                {
                  "fields": [
                    {
                      "text": "*Description*
        The primary database refused new connections for 5 minutes; message sending is paused.",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Severity:* Critical",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Category:* system",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Created:* Dec 14, 2025, 2:30 PM UTC",
                      "type": "mrkdwn",
                    },
                  ],
                  "type": "section",
                },
                {
                  "block_id": "alert.actions",
                  "elements": [
                    {
                      "action_id": "alert.view",
                      "text": {
                        "emoji": true,
                        "text": "View Alert",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "url": "https://app.pytake.net/alerts/alrt_critical_001",
                      "value": "alrt_critical_001",
                    },
                    {
                      "action_id": "alert.acknowledge",
                      "style": "primary",
                      "text": {
                        "emoji": true,
                        "text": "Acknowledge",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_critical_001",
                    },
                    {
                      "action_id": "alert.resolve",
                      "text": {
                        "emoji": true,
                        "text": "Resolve",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_critical_001",
                    },
                    {
                      "action_id": "alert.assign",
                      "text": {
                        "emoji": true,
                        "text": "Assign",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_critical_001",
                    },
                  ],
                  "type": "actions",
                },
              ],
              "color": "#d32f2f",
            },
          ],
          "text": "🚨 Alert: Database connection pool exhausted · Acme Corp",
        }
      `);
    });

    it('renders an escalation to Admin, mentioning the configured people', () => {
      const message = renderAlertSlack(fixtures['escalated-admin'], {
        mentionOnEscalation: ['U024BE7LH', 'S0123ABCD'],
      });
      expect(message).toMatchInlineSnapshot(`
        {
          "attachments": [
            {
              "blocks": [
                {
                  "text": {
                    "emoji": true,
                    "text": "🔴 Alert escalated: Database connection pool exhausted",
                    "type": "plain_text",
                  },
                  "type": "header",
                },
                {
                  "elements": [
                    {
                      "text": "*Organization:* Acme Corp",
                      "type": "mrkdwn",
                    },
                  ],
                  "type": "context",
                },
                {
                  "text": {
                    "text": "*Escalated from Level 2 to Admin.*
        *Reason:* Level 2 did not acknowledge within 60 minutes
        *Assigned to:* On-call administrator
        *Escalated:* Dec 14, 2025, 4:00 PM UTC",
                    "type": "mrkdwn",
                  },
                  "type": "section",
                },
                {
                  "fields": [
                    {
                      "text": "*Description*
        The primary database refused new connections for 5 minutes; message sending is paused.",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Severity:* Critical",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Category:* system",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Created:* Dec 14, 2025, 2:30 PM UTC",
                      "type": "mrkdwn",
                    },
                  ],
                  "type": "section",
                },
                {
                  "block_id": "alert.actions",
                  "elements": [
                    {
                      "action_id": "alert.view",
                      "text": {
                        "emoji": true,
                        "text": "View Alert",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "url": "https://app.pytake.net/alerts/alrt_critical_001",
                      "value": "alrt_critical_001",
                    },
                    {
                      "action_id": "alert.acknowledge",
                      "style": "primary",
                      "text": {
                        "emoji": true,
                        "text": "Acknowledge",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_critical_001",
                    },
                    {
                      "action_id": "alert.resolve",
                      "text": {
                        "emoji": true,
                        "text": "Resolve",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_critical_001",
                    },
                    {
                      "action_id": "alert.assign",
                      "text": {
                        "emoji": true,
                        "text": "Assign",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_critical_001",
                    },
                  ],
                  "type": "actions",
                },
              ],
              "color": "#d32f2f",
            },
          ],
          "text": "<@U024BE7LH> <!subteam^S0123ABCD> ⚠️ Alert Escalated to Admin: Database connection pool exhausted · Acme Corp",
        }
      `);
    });

    it('renders a resolution with its duration and without the action buttons', () => {
      const message = renderAlertSlack(fixtures['resolved-after-3-days'], {
        locale: 'pt-BR',
        timeZone: 'America/Sao_Paulo',
      });
      expect(message).toMatchInlineSnapshot(`
        {
          "attachments": [
            {
              "blocks": [
                {
                  "text": {
                    "emoji": true,
                    "text": "🟠 Alerta resolvido: WhatsApp template rejected by Meta",
                    "type": "plain_text",
                  },
                  "type": "header",
                },
                {
                  "elements": [
                    {
                      "text": "*Organização:* Acme Corp",
                      "type": "mrkdwn",
                    },
                  ],
                  "type": "context",
                },
                {
                  "text": {
                    "text": "*Resolvido depois de ficar aberto por 3 dias e 4 horas.*
        *Resolvido por:* Rafael Lima
        *Duração:* 3 dias e 4 horas
        *Resolvido em:* 17 de dez. de 2025, 15:30 BRT",
                    "type": "mrkdwn",
                  },
                  "type": "section",
                },
                {
                  "fields": [
                    {
                      "text": "*Descrição*
        The template "order_update_v3" was rejected: it contains promotional content.",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Severidade:* Alta",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Categoria:* template",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Criado em:* 14 de dez. de 2025, 11:30 BRT",
                      "type": "mrkdwn",
                    },
                  ],
                  "type": "section",
                },
                {
                  "text": {
                    "text": "*Notas da resolução*
        Meta approved the revised template.
        Resent the 1,204 queued messages.",
                    "type": "mrkdwn",
                  },
                  "type": "section",
                },
                {
                  "block_id": "alert.actions",
                  "elements": [
                    {
                      "action_id": "alert.view",
                      "text": {
                        "emoji": true,
                        "text": "Ver alerta",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "url": "https://app.pytake.net/alerts/alrt_high_001",
                      "value": "alrt_high_001",
                    },
                  ],
                  "type": "actions",
                },
              ],
              "color": "#ff9800",
            },
          ],
          "text": "✅ Alerta resolvido: WhatsApp template rejected by Meta · Acme Corp",
        }
      `);
    });

    it('renders a stale alert with the days inactive', () => {
      expect(renderAlertSlack(fixtures['stale-9-days'])).toMatchInlineSnapshot(`
        {
          "attachments": [
            {
              "blocks": [
                {
                  "text": {
                    "emoji": true,
                    "text": "🟡 Stale alert: Message delivery rate below 90%",
                    "type": "plain_text",
                  },
                  "type": "header",
                },
                {
                  "elements": [
                    {
                      "text": "*Organization:* Acme Corp",
                      "type": "mrkdwn",
                    },
                  ],
                  "type": "context",
                },
                {
                  "text": {
                    "text": "*No activity for 9 days.*
        *Inactive for:* 9 days
        *Last activity:* Dec 15, 2025, 2:30 PM UTC
        *Current owner:* Marina Costa",
                    "type": "mrkdwn",
                  },
                  "type": "section",
                },
                {
                  "fields": [
                    {
                      "text": "*Description*
        Delivery rate fell to 87% over the last hour (threshold 90%).",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Severity:* Medium",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Category:* delivery",
                      "type": "mrkdwn",
                    },
                    {
                      "text": "*Created:* Dec 14, 2025, 2:30 PM UTC",
                      "type": "mrkdwn",
                    },
                  ],
                  "type": "section",
                },
                {
                  "block_id": "alert.actions",
                  "elements": [
                    {
                      "action_id": "alert.view",
                      "text": {
                        "emoji": true,
                        "text": "View Alert",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "url": "https://app.pytake.net/alerts/alrt_medium_001",
                      "value": "alrt_medium_001",
                    },
                    {
                      "action_id": "alert.acknowledge",
                      "style": "primary",
                      "text": {
                        "emoji": true,
                        "text": "Acknowledge",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_medium_001",
                    },
                    {
                      "action_id": "alert.resolve",
                      "text": {
                        "emoji": true,
                        "text": "Resolve",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_medium_001",
                    },
                    {
                      "action_id": "alert.assign",
                      "text": {
                        "emoji": true,
                        "text": "Assign",
                        "type": "plain_text",
                      },
                      "type": "button",
                      "value": "alrt_medium_001",
                    },
                  ],
                  "type": "actions",
                },
              ],
              "color": "#fbc02d",
            },
          ],
          "text": "⏰ Stale Alert: Message delivery rate below 90% (inactive for 9 days) · Acme Corp",
        }
      `);
    });

    it('colors the bar by severity', () => {
      const colors = (['created-critical', 'created-high', 'created-medium', 'created-low'] as const).map(
        (name) => renderAlertSlack(fixtures[name]).attachments?.[0]?.color,
      );
      expect(colors).toEqual(['#d32f2f', '#ff9800', '#fbc02d', '#388e3c']);
    });

    it('carries the alert id in every button, with the action ids parseAlertAction understands', () => {
      const buttons = buttonsOf(renderAlertSlack(fixtures['created-high']));
      expect(buttons.map((b) => [b.action_id, b.value, b.style])).toEqual([
        ['alert.view', 'alrt_high_001', undefined],
        ['alert.acknowledge', 'alrt_high_001', 'primary'],
        ['alert.resolve', 'alrt_high_001', undefined],
        ['alert.assign', 'alrt_high_001', undefined],
      ]);
    });

    it('mentions @channel on escalation when asked, and nobody by default or for other events', () => {
      expect(renderAlertSlack(fixtures['escalated-low'], { mentionOnEscalation: true }).text).toMatch(
        /^<!channel> ⚠️/,
      );
      expect(renderAlertSlack(fixtures['escalated-low']).text).not.toContain('<!');
      expect(renderAlertSlack(fixtures['created-low'], { mentionOnEscalation: true }).text).not.toContain(
        '<!',
      );
    });

    it('shows dates in the organization time zone', () => {
      const message = renderAlertSlack(fixtures['created-critical'], {
        locale: 'pt-BR',
        timeZone: 'America/Sao_Paulo',
      });
      expect(texts(message).mrkdwn).toContain('*Criado em:* 14 de dez. de 2025, 11:30 BRT');
    });

    it('falls back to the dashboard link, and drops the View button when there is no link', () => {
      const event = fixtures['hard-no-optional-fields'];
      const linked = buttonsOf(renderAlertSlack(event, { dashboardUrl: 'https://app.pytake.net/alerts' }));
      expect(linked[0]).toMatchObject({ action_id: 'alert.view', url: 'https://app.pytake.net/alerts' });
      const unlinked = buttonsOf(renderAlertSlack(event));
      expect(unlinked.map((b) => b.action_id)).toEqual([
        'alert.acknowledge',
        'alert.resolve',
        'alert.assign',
      ]);
    });
  });

  describe('safety', () => {
    it('never lets alert text ping anyone or link anywhere', () => {
      const message = renderAlertSlack(fixtures['hard-html-and-mrkdwn']);
      const { mrkdwn } = texts(message);
      for (const text of mrkdwn) expect(text).not.toMatch(markup);
      expect(mrkdwn.join('\n')).toContain('&lt;!channel&gt;');
      expect(mrkdwn.join('\n')).toContain('&lt;!everyone&gt; *Ops* &amp; &lt;@U0G9QF9C6&gt;');
    });

    for (const name of ['created-critical', 'escalated-high', 'resolved-low', 'stale-medium'] as const) {
      it(`escapes every text field of ${fixtures[name].type}`, () => {
        const event = withHostileText(fixtures[name]);
        const message = renderAlertSlack(event, { mentionOnEscalation: false });
        const { mrkdwn, plain } = texts(message);
        for (const text of mrkdwn) expect(text).not.toMatch(markup);
        const all = [...mrkdwn, ...plain].join('\n');
        // Every hostile field is shown (as text), in mrkdwn or in the plain_text header.
        for (const field of hostileFields(event)) expect(all).toContain(field);
      });
    }

    it('drops a javascript: url instead of linking it', () => {
      const base = fixtures['created-critical'];
      const event = { ...base, alert: { ...base.alert, url: 'javascript:alert(1)' } } as AlertEvent;
      const message = renderAlertSlack(event);
      expect(JSON.stringify(message)).not.toContain('javascript:');
      expect(buttonsOf(message).map((b) => b.action_id)).not.toContain('alert.view');
    });

    it('truncates long text within Slack limits instead of failing', () => {
      const message = renderAlertSlack(fixtures['hard-long-description']);
      const header = blocksOf(message)[0] as { text: { text: string } };
      expect(header.text.text.length).toBeLessThanOrEqual(150);
      const fields = blocksOf(message).find((b) => Array.isArray(b.fields))?.fields as Array<{
        text: string;
      }>;
      expect(fields[0]!.text.length).toBeLessThanOrEqual(2000);
      expect(fields[0]!.text.endsWith('…')).toBe(true);
      const long = renderAlertSlack(fixtures['hard-long-title']);
      expect((blocksOf(long)[0] as { text: { text: string } }).text.text).toHaveLength(150);
    });

    it("drops the buttons that would carry an alert id over Slack's value limit instead of failing", () => {
      const base = fixtures['created-critical'];
      const id = 'a'.repeat(2001);
      const message = renderAlertSlack({ ...base, alert: { ...base.alert, id } } as AlertEvent);
      expect(validateSlackMessage(message)).toEqual([]);
      expect(JSON.stringify(message)).not.toContain(id);
      // The link still works; only the buttons that must name the alert are gone.
      expect(buttonsOf(message).map((b) => b.action_id)).toEqual(['alert.view']);
    });

    it('renders any alert text within every limit and without markup (property)', () => {
      const anyText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6000 });
      const base = fixtures['escalated-high'];
      fc.assert(
        fc.property(anyText, anyText, anyText, anyText, (title, description, reason, assignedTo) => {
          const event = {
            ...base,
            alert: { ...base.alert, title: title.slice(0, 255), description, organizationName: assignedTo },
            reason,
            assignedTo,
          } as AlertEvent;
          const message = renderAlertSlack(event);
          expect(validateSlackMessage(message)).toEqual([]);
          for (const text of texts(message).mrkdwn) expect(text).not.toMatch(markup);
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('errors', () => {
    it('rejects a bad mention id with a ConfigError', () => {
      const error = (() => {
        try {
          renderAlertSlack(fixtures['escalated-admin'], { mentionOnEscalation: ['<!channel>'] });
        } catch (e) {
          return e;
        }
      })();
      expect(isNotifyError(error) && error.code).toBe('config');
      expect(String(error)).toContain('mentionOnEscalation[0]: expected a Slack user id');
    });
  });
});
