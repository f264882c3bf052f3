import { type AlertEvent, isNotifyError, LOCALES } from '@pytake/notify-core';
import { type SlackMessage, validateSlackMessage } from '@pytake/notify-slack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureEntries, fixtures } from '../fixtures/index.js';
import { hostileFields, withEveryText, withHostileText } from '../testing/hostile.js';
import { blocksOf, texts } from '../testing/slack-message-parts.js';
import { renderAlertSlack } from './render-alert-slack.js';

type Json = Record<string, unknown>;

const buttonsOf = (message: SlackMessage) =>
  blocksOf(message)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[]);

/** Markup in mrkdwn that Slack acts on: mentions, links, channel refs. Escaped text has no `<` at all. */
const markup = /<|&(?!amp;|lt;|gt;)/;
/** What Slack formats with: bold, italic, strike, code, also full-width. */
const formattingChars = /[*_~`\uff0a\uff3f\uff40]/g;
/** A line that opens with `>` (escaped or not, or full-width) is a block quote. */
const quoteLine = /(^|\n)[ \t]*(&gt;|>|\uff1e)/;
/** How many formatting characters the message's mrkdwn holds: only the template's own labels may have any. */
// `*` `_` `~` between two letters or digits (`order_update_v3`) never format in Slack, so escapeMrkdwn
// leaves them as typed: they are not counted. Nor is one that truncation left before its `…`
// (`v3*…`): every opening `*` in data is a look-alike, so it has nothing to close.
const intraword = /(?<=[\p{L}\p{N}])[*_~\uff0a\uff3f](?=[\p{L}\p{N}]|…$)/gu;
const formattingCount = (message: SlackMessage) =>
  texts(message).mrkdwn.reduce(
    (n, text) => n + (text.replace(intraword, '').match(formattingChars)?.length ?? 0),
    0,
  );
/** Every mrkdwn text object in the message (the top-level text is not one). */
function mrkdwnObjects(message: SlackMessage): Json[] {
  const found: Json[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      const object = value as Json;
      if (object.type === 'mrkdwn') found.push(object);
      else Object.values(object).forEach(walk);
    }
  };
  walk(message.attachments);
  walk(message.blocks);
  return found;
}
const eventTypes = ['created-critical', 'escalated-high', 'resolved-low', 'stale-medium'] as const;

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
                      "verbatim": true,
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
                      "verbatim": true,
                    },
                    {
                      "text": "*Severity:* Critical",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Category:* system",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Created:* Dec 14, 2025, 2:30 PM GMT+0",
                      "type": "mrkdwn",
                      "verbatim": true,
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
                      "verbatim": true,
                    },
                  ],
                  "type": "context",
                },
                {
                  "text": {
                    "text": "*Escalated from Level 2 to Admin.*
        *Reason:* Level 2 did not acknowledge within 60 minutes
        *Assigned to:* On-call administrator
        *Escalated:* Dec 14, 2025, 4:00 PM GMT+0",
                    "type": "mrkdwn",
                    "verbatim": true,
                  },
                  "type": "section",
                },
                {
                  "fields": [
                    {
                      "text": "*Description*
        The primary database refused new connections for 5 minutes; message sending is paused.",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Severity:* Critical",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Category:* system",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Created:* Dec 14, 2025, 2:30 PM GMT+0",
                      "type": "mrkdwn",
                      "verbatim": true,
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
                      "verbatim": true,
                    },
                  ],
                  "type": "context",
                },
                {
                  "text": {
                    "text": "*Resolvido depois de ficar aberto por 3 dias e 4 horas.*
        *Resolvido por:* Rafael Lima
        *Duração:* 3 dias e 4 horas
        *Resolvido em:* 17 de dez. de 2025, 15:30 GMT-3",
                    "type": "mrkdwn",
                    "verbatim": true,
                  },
                  "type": "section",
                },
                {
                  "fields": [
                    {
                      "text": "*Descrição*
        The template "order_update_v3" was rejected: it contains promotional content.",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Severidade:* Alta",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Categoria:* template",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Criado em:* 14 de dez. de 2025, 11:30 GMT-3",
                      "type": "mrkdwn",
                      "verbatim": true,
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
                    "verbatim": true,
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
                      "verbatim": true,
                    },
                  ],
                  "type": "context",
                },
                {
                  "text": {
                    "text": "*No activity for 9 days.*
        *Inactive for:* 9 days
        *Last activity:* Dec 15, 2025, 2:30 PM GMT+0
        *Current owner:* Marina Costa",
                    "type": "mrkdwn",
                    "verbatim": true,
                  },
                  "type": "section",
                },
                {
                  "fields": [
                    {
                      "text": "*Description*
        Delivery rate fell to 87% over the last hour (threshold 90%).",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Severity:* Medium",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Category:* delivery",
                      "type": "mrkdwn",
                      "verbatim": true,
                    },
                    {
                      "text": "*Created:* Dec 14, 2025, 2:30 PM GMT+0",
                      "type": "mrkdwn",
                      "verbatim": true,
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
                      "action_id": "alert.resolve",
                      "style": "primary",
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
      expect(texts(message).mrkdwn).toContain('*Criado em:* 14 de dez. de 2025, 11:30 GMT-3');
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
      expect(mrkdwn.join('\n')).toContain('&lt;!everyone&gt; \u2217Ops\u2217 &amp; &lt;@U0G9QF9C6&gt;');
    });

    it("keeps the hard-case fixture's promise: no bold, italic, strike or code from the data", () => {
      const event = fixtures['hard-html-and-mrkdwn'];
      const message = renderAlertSlack(event);
      const { mrkdwn } = texts(message);
      const all = mrkdwn.join('\n');
      expect(all).not.toContain('*Ops*');
      expect(all).toContain('\u2217Ops\u2217');
      // The title, with every formatting character, is in the top-level text (mrkdwn).
      expect(message.text).toContain(
        '\u2217bold\u2217 \u02cditalic\u02cd \u223cstrike\u223c \u02cbcode\u02cb',
      );
      // Only the template's own bold labels format: the same count as with plain data.
      const plain = renderAlertSlack(withEveryText(event, () => 'x'));
      expect(formattingCount(message)).toBe(formattingCount(plain));
    });

    it('sets verbatim: true on every mrkdwn text object, so Slack links no bare URL or #channel in alert data', () => {
      for (const { event } of fixtureEntries) {
        const objects = mrkdwnObjects(renderAlertSlack(event));
        expect(objects.length).toBeGreaterThan(0);
        for (const object of objects) expect(object.verbatim).toBe(true);
      }
    });

    for (const name of eventTypes) {
      it(`shows formatting characters in every text field of ${fixtures[name].type} without formatting`, () => {
        const text = (field: string) => `*${field}* _${field}_ ~${field}~ \`${field}\`\n> ${field} quote`;
        const event = withEveryText(fixtures[name], text);
        const message = renderAlertSlack(event);
        const plain = renderAlertSlack(withEveryText(fixtures[name], () => 'x'));
        const { mrkdwn, plain: plainTexts } = texts(message);
        expect(formattingCount(message)).toBe(formattingCount(plain));
        for (const t of mrkdwn) expect(t).not.toMatch(quoteLine);
        const shown = mrkdwn.join('\n');
        for (const field of hostileFields(event)) {
          // Every field is shown, in mrkdwn with look-alikes, or as typed in the plain_text header.
          const lookAlike = `\u2217${field}\u2217 \u02cd${field}\u02cd \u223c${field}\u223c \u02cb${field}\u02cb`;
          expect(shown.includes(lookAlike) || plainTexts.some((p) => p.includes(text(field)))).toBe(true);
        }
        expect(validateSlackMessage(message)).toEqual([]);
      });
    }

    for (const name of eventTypes) {
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

    it('renders text full of mrkdwn in every field within every limit, with no formatting, quote or markup from it (property)', () => {
      const piece = fc.oneof(
        fc.constantFrom(
          '*',
          '_',
          '~',
          '`',
          '>',
          '\n> ',
          '<!channel>',
          '&',
          '\uff0a',
          '\uff40',
          '\uff1e',
          '*Ops*',
          ' ',
        ),
        fc.string({ unit: 'grapheme', maxLength: 8 }),
      );
      const anyText = fc
        .tuple(fc.array(piece, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 120 }))
        .map(([parts, times]) => parts.join('').repeat(times))
        .filter((t) => t.trim() !== '');
      fc.assert(
        fc.property(fc.constantFrom(...eventTypes), fc.func(anyText), (name, textOf) => {
          const base = fixtures[name];
          const message = renderAlertSlack(withEveryText(base, (field) => textOf(field)));
          expect(validateSlackMessage(message)).toEqual([]);
          const plain = renderAlertSlack(withEveryText(base, () => 'x'));
          // Truncation may cut a label of the template, never add one: data adds no formatting.
          expect(formattingCount(message)).toBeLessThanOrEqual(formattingCount(plain));
          for (const text of texts(message).mrkdwn) {
            expect(text).not.toMatch(markup);
            expect(text).not.toMatch(quoteLine);
          }
        }),
        { numRuns: 200 },
      );
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

describe('renderAlertSlack with firstReportedInDigest', () => {
  it('says in one context line that a storm digest reported the alert first, and changes nothing else', () => {
    const event = fixtures['escalated-high'];
    const plain = renderAlertSlack(event, { locale: 'en' });
    const noted = renderAlertSlack(event, { locale: 'en', firstReportedInDigest: 'dgst_1' });
    const blocks = blocksOf(noted);
    expect(blocks[2]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'First reported in a digest of this alert storm.', verbatim: true }],
    });
    expect([...blocks.slice(0, 2), ...blocks.slice(3)]).toEqual(blocksOf(plain));
    expect(noted.text).toBe(plain.text);
    const pt = renderAlertSlack(event, { locale: 'pt-BR', firstReportedInDigest: 'dgst_1' });
    expect(texts(pt).mrkdwn).toContain('Informado antes em um resumo desta tempestade de alertas.');
  });
});
