import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actions } from './blocks/actions.js';
import { button } from './blocks/button.js';
import { context } from './blocks/context.js';
import { divider } from './blocks/divider.js';
import { header } from './blocks/header.js';
import { section } from './blocks/section.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeMrkdwn } from './mrkdwn/escape-mrkdwn.js';
import { slackMessage } from './slack-message.js';
import { SlackValidationError } from './slack-validation-error.js';
import { truncateText } from './truncate-text.js';
import { validateSlackMessage } from './validate-slack-message.js';

// Text that exercises the tricky cases: surrogate pairs, escapes and links near the cut.
const tricky = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom(
        '&amp;',
        '&lt;',
        '&gt;',
        '<https://x.example|link>',
        '<@U024BE7LH>',
        '😀',
        '<!channel>',
        '&',
        '<',
        '>',
        '*bold*',
        '_it_',
        '~s~',
        '`code`',
        '\n> quote',
        '\uff0a',
      ),
    ),
    { maxLength: 300 },
  )
  .map((parts) => parts.join(''));

const isMention = /<[!@#]/;
// What Slack formats with: bold, italic, strike, code (and their full-width forms), and a line that
// opens with `>` (a block quote), escaped or not. `*`, `_` and `~` between two letters or digits
// (`order_update_v3`) never format in Slack, so they do not count.
const formatting =
  /(?<![\p{L}\p{N}])[*_~\uff0a\uff3f]|[*_~\uff0a\uff3f](?![\p{L}\p{N}])|[`\uff40]|(^|\n)[ \t]*(&gt;|>|\uff1e)/u;
const textsOf = (message: unknown): string[] => {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') found.push(o.text);
      else Object.values(o).forEach(walk);
    }
  };
  walk(message);
  return found;
};

// Every text the limits count inside a message's blocks, attachments' blocks included: text objects
// (header, section text and fields, context elements, button labels, image titles) and alt texts.
const blockTextLength = (message: ReturnType<typeof slackMessage>): number => {
  let total = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') {
        total += o.text.length;
        return;
      }
      if (typeof o.alt_text === 'string') total += o.alt_text.length;
      Object.values(o).forEach(walk);
    }
  };
  walk(message.blocks);
  walk(message.attachments?.map((a) => a.blocks));
  return total;
};

describe('limits (property)', () => {
  describe('truncateText()', () => {
    it('stays within the limit and never splits a surrogate pair, an escape or a link', () => {
      fc.assert(
        fc.property(tricky, fc.integer({ min: 2, max: 400 }), (text, max) => {
          const out = truncateText(text, max);
          expect(out.length).toBeLessThanOrEqual(max);
          if (text.length <= max) {
            expect(out).toBe(text);
            return;
          }
          expect(out.endsWith('…')).toBe(true);
          const body = out.slice(0, -1);
          expect(text.startsWith(body)).toBe(true);
          // No lone high surrogate at the end.
          const last = body.charCodeAt(body.length - 1);
          expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
          // Every `<` kept is closed.
          expect(body.lastIndexOf('<') <= body.lastIndexOf('>')).toBe(true);
          // The kept text does not end inside an entity that the original text completes.
          const amp = body.lastIndexOf('&');
          const entity =
            amp === -1 ? null : /^&(?:[a-zA-Z]{2,8}|#\d{1,7}|#x[0-9a-fA-F]{1,6});/.exec(text.slice(amp));
          if (entity) expect(amp + entity[0].length).toBeLessThanOrEqual(body.length);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('slackMessage()', () => {
    const block = fc.oneof(
      tricky.map((t) => header(t || 'h')),
      fc
        .record({ text: tricky, fields: fc.array(tricky, { maxLength: 12 }) })
        .map(({ text, fields }) =>
          section({ text: text || 's', fields: fields.length ? fields.map((f) => f || 'f') : undefined }),
        ),
      fc
        .array(
          tricky.map((t) => t || 'c'),
          { minLength: 1, maxLength: 12 },
        )
        .map((e) => context(e)),
      fc
        .array(fc.record({ text: tricky, value: fc.string({ maxLength: 2100 }) }), {
          minLength: 1,
          maxLength: 27,
        })
        .map((bs) =>
          actions(bs.map((b, i) => button({ text: b.text || 'b', actionId: `a${i}`, value: b.value }))),
        ),
      fc.constant(divider()),
    );

    it('either builds a message within every limit or raises SlackValidationError', () => {
      fc.assert(
        fc.property(fc.array(block, { maxLength: 55 }), fc.boolean(), (blocks, colored) => {
          let message: ReturnType<typeof slackMessage>;
          try {
            message = slackMessage({ text: 'fallback', blocks, color: colored ? '#d00000' : undefined });
          } catch (error) {
            expect(error).toBeInstanceOf(SlackValidationError);
            expect((error as SlackValidationError).issues.length).toBeGreaterThan(0);
            return;
          }
          expect(validateSlackMessage(message)).toEqual([]);
          expect(blockTextLength(message)).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
        }),
        { numRuns: 200, seed: 0x51ac },
      );
    });

    it('builds any message within the counts, keeping its block text within the total', () => {
      // Counts within Slack's limits and no ids or values to refuse: only text can be over, and
      // truncation must bring every text, and all of them together, within the limits.
      const textBlock = fc.oneof(
        tricky.map((t) => header(t || 'h')),
        fc
          .record({ text: tricky, fields: fc.array(tricky, { maxLength: SLACK_LIMITS.sectionFields }) })
          .map(({ text, fields }) =>
            section({ text: text || 's', fields: fields.length ? fields.map((f) => f || 'f') : undefined }),
          ),
        fc
          .array(
            tricky.map((t) => t || 'c'),
            { minLength: 1, maxLength: SLACK_LIMITS.contextElements },
          )
          .map((e) => context(e)),
        fc
          .array(tricky, { minLength: 1, maxLength: 5 })
          .map((ts) => actions(ts.map((t, i) => button({ text: t || 'b', actionId: `a${i}` })))),
      );
      fc.assert(
        fc.property(
          fc.array(textBlock, { maxLength: SLACK_LIMITS.blocks }),
          fc.boolean(),
          (blocks, colored) => {
            const message = slackMessage({
              text: 'fallback',
              blocks,
              color: colored ? '#d00000' : undefined,
            });
            expect(validateSlackMessage(message)).toEqual([]);
            expect(blockTextLength(message)).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
          },
        ),
        { numRuns: 150, seed: 0x51ac },
      );
    });
  });

  describe('escapeMrkdwn()', () => {
    it('never yields a mention, even after truncation', () => {
      fc.assert(
        fc.property(tricky, (userText) => {
          const message = slackMessage({
            text: escapeMrkdwn(userText) || 't',
            blocks: [header(escapeMrkdwn(userText) || 'h'), section({ text: escapeMrkdwn(userText) || 's' })],
          });
          const json = JSON.stringify(message);
          expect(isMention.test(json)).toBe(false);
          expect(json.includes('<')).toBe(false);
        }),
        { numRuns: 300 },
      );
    });

    it('never yields formatting, and stays within every limit after truncation', () => {
      const long = fc.tuple(tricky, fc.integer({ min: 1, max: 12 })).map(([t, n]) => t.repeat(n));
      fc.assert(
        fc.property(long, (userText) => {
          const escaped = escapeMrkdwn(userText);
          const message = slackMessage({
            text: escaped || 't',
            blocks: [
              header(userText || 'h'),
              section({ text: escaped || 's', fields: [escaped || 'f', escaped || 'f'] }),
              context([escaped || 'c']),
            ],
          });
          expect(validateSlackMessage(message)).toEqual([]);
          const [, ...mrkdwn] = textsOf(message); // the header is plain_text: shown as typed
          for (const text of [message.text, ...mrkdwn]) {
            expect(text).not.toMatch(formatting);
            expect(text).not.toMatch(isMention);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('shows every character: undoing the look-alikes gives back the text', () => {
      const back: Record<string, string> = {
        '&amp;': '&',
        '&lt;': '<',
        '&gt;': '>',
        '\u2217': '*',
        '\u02cd': '_',
        '\u223c': '~',
        '\u02cb': '`',
        '\ufe61': '\uff0a',
        '\u2e0f': '\uff3f',
      };
      const alphabet = fc.constantFrom(
        'a',
        ' ',
        '\n',
        '*',
        '_',
        '~',
        '`',
        '>',
        '<',
        '&',
        '\uff0a',
        '\uff3f',
        '😀',
      );
      fc.assert(
        fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
          const text = chars.join('');
          const undone = escapeMrkdwn(text)
            .replaceAll('\u00ad', '')
            .replace(/&amp;|&lt;|&gt;|[\u2217\u02cd\u223c\u02cb\ufe61\u2e0f]/g, (m) => back[m] as string);
          expect(undone).toBe(text.replaceAll('\uff40', '`'));
        }),
        { numRuns: 500 },
      );
    });
  });
});
