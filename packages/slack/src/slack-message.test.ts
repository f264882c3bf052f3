import { isNotifyError } from '@pytake/notify-core';
import type { HeaderBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { actions } from './blocks/actions.js';
import { button } from './blocks/button.js';
import { context } from './blocks/context.js';
import { divider } from './blocks/divider.js';
import { header } from './blocks/header.js';
import { image } from './blocks/image.js';
import { section } from './blocks/section.js';
import { SLACK_LIMITS } from './limits.js';
import { slackMessage } from './slack-message.js';
import { SlackValidationError } from './slack-validation-error.js';
import { validateSlackMessage } from './validate-slack-message.js';

const viewButton = button({
  text: 'View Alert',
  actionId: 'alert.view',
  url: 'https://app.example/a/1',
  style: 'primary',
});

describe('slackMessage', () => {
  describe('slackMessage()', () => {
    it('marks mrkdwn text verbatim unless told not to, so Slack does not auto-link alert data', () => {
      expect(section({ text: 'see https://x.example #ops', fields: ['f'] })).toMatchObject({
        text: { type: 'mrkdwn', verbatim: true },
        fields: [{ type: 'mrkdwn', verbatim: true }],
      });
      expect(context(['c'])).toMatchObject({ elements: [{ type: 'mrkdwn', verbatim: true }] });
      expect(section({ text: 'linkify me', verbatim: false }).text).toEqual({
        type: 'mrkdwn',
        text: 'linkify me',
      });
      expect(context(['c'], { verbatim: false }).elements[0]).toEqual({ type: 'mrkdwn', text: 'c' });
    });

    it('builds @slack/types blocks from the small builders', () => {
      const message = slackMessage({
        text: 'CPU high',
        blocks: [
          header('CPU high', { blockId: 'h' }),
          section({ text: '*CPU* at 97%', fields: ['*Severity*\ncritical'], accessory: viewButton }),
          context(['org acme']),
          divider(),
          actions([
            viewButton,
            button({ text: 'Resolve', actionId: 'alert.resolve', value: 'a1', style: 'danger' }),
          ]),
          image({ url: 'https://img.example/x.png', alt: 'graph' }),
        ],
      });
      expect(message).toMatchInlineSnapshot(`
        {
          "blocks": [
            {
              "block_id": "h",
              "text": {
                "emoji": true,
                "text": "CPU high",
                "type": "plain_text",
              },
              "type": "header",
            },
            {
              "accessory": {
                "action_id": "alert.view",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "View Alert",
                  "type": "plain_text",
                },
                "type": "button",
                "url": "https://app.example/a/1",
              },
              "fields": [
                {
                  "text": "*Severity*
        critical",
                  "type": "mrkdwn",
                  "verbatim": true,
                },
              ],
              "text": {
                "text": "*CPU* at 97%",
                "type": "mrkdwn",
                "verbatim": true,
              },
              "type": "section",
            },
            {
              "elements": [
                {
                  "text": "org acme",
                  "type": "mrkdwn",
                  "verbatim": true,
                },
              ],
              "type": "context",
            },
            {
              "type": "divider",
            },
            {
              "elements": [
                {
                  "action_id": "alert.view",
                  "style": "primary",
                  "text": {
                    "emoji": true,
                    "text": "View Alert",
                    "type": "plain_text",
                  },
                  "type": "button",
                  "url": "https://app.example/a/1",
                },
                {
                  "action_id": "alert.resolve",
                  "style": "danger",
                  "text": {
                    "emoji": true,
                    "text": "Resolve",
                    "type": "plain_text",
                  },
                  "type": "button",
                  "value": "a1",
                },
              ],
              "type": "actions",
            },
            {
              "alt_text": "graph",
              "image_url": "https://img.example/x.png",
              "type": "image",
            },
          ],
          "text": "CPU high",
        }
      `);
    });

    it('puts the blocks in one colored attachment when a color is given, and sets thread_ts', () => {
      const message = slackMessage({ text: 't', blocks: [divider()], color: '#d00000', threadTs: '1.2' });
      expect(message).toEqual({
        text: 't',
        attachments: [{ color: '#d00000', blocks: [{ type: 'divider' }] }],
        thread_ts: '1.2',
      });
    });

    it('truncates a long header to 150 characters ending with an ellipsis', () => {
      const message = slackMessage({ text: 't', blocks: [header('x'.repeat(400))] });
      const text = (message.blocks![0] as HeaderBlock).text.text;
      expect(text).toHaveLength(SLACK_LIMITS.headerText);
      expect(text.endsWith('…')).toBe(true);
    });

    it('does not change the blocks it was given when it truncates', () => {
      const block = section({ text: 'y'.repeat(5000) });
      slackMessage({ text: 't', blocks: [block] });
      expect(block.text?.text).toHaveLength(5000);
    });

    it("raises with the path when overflow is 'error'", () => {
      expect(() =>
        slackMessage(
          { text: 't', blocks: [divider(), section({ text: 'y'.repeat(3001) })] },
          { overflow: 'error' },
        ),
      ).toThrow('blocks[1].text.text: at most 3000 characters, got 3001');
    });

    it('always raises for counts over a limit, listing every violation', () => {
      const fields = Array.from({ length: 11 }, (_, i) => `f${i}`);
      const buttons = Array.from({ length: 26 }, (_, i) => button({ text: `b${i}`, actionId: `a${i}` }));
      let caught: unknown;
      try {
        slackMessage({
          text: 't',
          blocks: [
            divider(),
            divider(),
            divider(),
            section({ fields }),
            actions(buttons),
            context(Array(11).fill('c')),
          ],
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SlackValidationError);
      expect(isNotifyError(caught)).toBe(true);
      expect((caught as SlackValidationError).code).toBe('validation');
      expect((caught as SlackValidationError).issues).toEqual([
        { path: 'blocks[3].fields[10]', message: 'at most 10 fields' },
        { path: 'blocks[4].elements[25]', message: 'at most 25 elements' },
        { path: 'blocks[5].elements[10]', message: 'at most 10 elements' },
      ]);
    });

    it('raises for more than 50 blocks', () => {
      expect(() => slackMessage({ text: 't', blocks: Array.from({ length: 51 }, () => divider()) })).toThrow(
        'blocks[50]: at most 50 blocks',
      );
    });

    it('never cuts ids, values or URLs, even in truncate mode', () => {
      const b = button({
        text: 'ok',
        actionId: 'a'.repeat(256),
        value: 'v'.repeat(2001),
        url: `https://x.example/${'p'.repeat(3000)}`,
      });
      const error = (() => {
        try {
          slackMessage({ text: 't', blocks: [actions([b], { blockId: 'b'.repeat(256) })] });
        } catch (e) {
          return e as SlackValidationError;
        }
      })();
      expect(error?.issues.map((i) => i.path)).toEqual([
        'blocks[0].block_id',
        'blocks[0].elements[0].value',
        'blocks[0].elements[0].url',
        'blocks[0].elements[0].action_id',
      ]);
    });

    it('cuts the longest texts when the blocks hold more text in total than Slack takes', () => {
      const long = 'y'.repeat(SLACK_LIMITS.sectionText);
      const message = slackMessage({
        text: 't',
        blocks: [
          header('Disk full'),
          ...Array.from({ length: 5 }, () => section({ text: long, fields: ['host-1'] })),
          actions([viewButton]),
        ],
      });
      expect(validateSlackMessage(message)).toEqual([]);
      const texts = JSON.stringify(message.blocks).match(/"text":"[^"]*"/g) ?? [];
      const total = texts.reduce((sum, t) => sum + t.length - '"text":""'.length, 0);
      expect(total).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
      expect(message.blocks?.[0]).toMatchObject({ text: { text: 'Disk full' } });
      expect(message.blocks?.[1]).toMatchObject({ fields: [{ text: 'host-1' }] });
      expect(message.blocks?.[6]).toMatchObject({ elements: [{ text: { text: 'View Alert' } }] });
      for (const block of message.blocks?.slice(1, 6) ?? []) {
        expect((block as SectionBlock).text?.text.endsWith('…')).toBe(true);
      }
    });

    it('keeps blocks holding exactly the total block text Slack takes as they are', () => {
      const blocks = Array.from({ length: 4 }, () => section({ text: 'y'.repeat(3000) }));
      const message = slackMessage({ text: 't', blocks });
      expect(message.blocks).toEqual(blocks);
      expect(message.blocks?.[3]).toBe(blocks[3]);
    });

    it("raises for block text over the total when overflow is 'error'", () => {
      const blocks = [header('h'), ...Array.from({ length: 4 }, () => section({ text: 'y'.repeat(3000) }))];
      expect(() => slackMessage({ text: 't', blocks }, { overflow: 'error' })).toThrow(
        'blocks: at most 12000 characters of text in all blocks together, got 12001',
      );
    });

    it('rejects empty text, an empty section and a bad color', () => {
      expect(() =>
        slackMessage({ text: '', blocks: [{ type: 'section' } as SectionBlock], color: 'red' }),
      ).toThrow(SlackValidationError);
      const issues = validateSlackMessage({ text: '', blocks: [{ type: 'section' }] });
      expect(issues).toEqual([
        { path: 'text', message: 'must not be empty' },
        { path: 'blocks[0]', message: 'a section needs text or fields' },
      ]);
    });
  });

  describe('validateSlackMessage()', () => {
    it('returns no issues for a message within the limits', () => {
      expect(validateSlackMessage(slackMessage({ text: 't', blocks: [header('h')], color: '#fff' }))).toEqual(
        [],
      );
    });

    it('names the path of every kind of value it checks', () => {
      const long = 'x'.repeat(3001);
      const issues = validateSlackMessage({
        text: 't',
        blocks: [
          { type: 'context', elements: [{ type: 'mrkdwn', text: long }, 'no' as never] },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: 'ok' },
              { type: 'mrkdwn', text: long },
            ],
            accessory: { type: 'image', image_url: '', alt_text: long } as never,
          },
          { type: 'section', text: { type: 'mrkdwn', text: 'ok' }, fields: 'no' as never },
          {
            type: 'image',
            image_url: 'https://x.example/i.png',
            alt_text: 'a',
            title: { type: 'plain_text', text: '' },
          },
          { type: 'actions', elements: [] },
        ],
      });
      expect(issues).toEqual([
        { path: 'blocks[0].elements[0].text', message: 'at most 3000 characters, got 3001' },
        { path: 'blocks[0].elements[1]', message: 'expected an element object' },
        { path: 'blocks[1].fields[1].text', message: 'at most 2000 characters, got 3001' },
        { path: 'blocks[1].accessory.image_url', message: 'required (URL string)' },
        { path: 'blocks[1].accessory.alt_text', message: 'at most 2000 characters, got 3001' },
        { path: 'blocks[2].fields', message: 'expected an array' },
        { path: 'blocks[3].title.text', message: 'must not be empty' },
        { path: 'blocks[4].elements', message: 'at least 1 element' },
      ]);
    });

    it('passes blocks holding exactly 12000 characters of text in total', () => {
      const issues = validateSlackMessage({
        text: 't',
        blocks: [
          header('h'.repeat(100)),
          section({ text: 's'.repeat(2900), fields: ['f'.repeat(2000), 'f'.repeat(2000)] }),
          context(['c'.repeat(3000), 'c'.repeat(1000)]),
          actions([button({ text: 'b'.repeat(75), actionId: 'a' })]),
          image({ url: 'https://x.example/i.png', alt: 'a'.repeat(925) }),
        ],
      });
      expect(issues).toEqual([]);
    });

    it('refuses one character more, naming the blocks and the limit', () => {
      const issues = validateSlackMessage({
        text: 't',
        blocks: [
          header('h'.repeat(101)),
          section({ text: 's'.repeat(2900), fields: ['f'.repeat(2000), 'f'.repeat(2000)] }),
          context(['c'.repeat(3000), 'c'.repeat(1000)]),
          actions([button({ text: 'b'.repeat(75), actionId: 'a' })]),
          image({ url: 'https://x.example/i.png', alt: 'a'.repeat(925) }),
        ],
      });
      expect(issues).toEqual([
        {
          path: 'blocks',
          message: `at most ${SLACK_LIMITS.blockText} characters of text in all blocks together, got 12001`,
        },
      ]);
    });

    it("counts the attachments' blocks against the same total as the message's", () => {
      const issues = validateSlackMessage({
        text: 't',
        blocks: [section({ text: 's'.repeat(3000) }), section({ text: 's'.repeat(3000) })],
        attachments: [
          { color: '#fff', blocks: [section({ text: 's'.repeat(3000) })] },
          { color: '#fff', blocks: [section({ text: 's'.repeat(3000) }), header('h')] },
        ],
      });
      expect(issues).toEqual([
        {
          path: 'attachments[1].blocks',
          message: 'at most 12000 characters of text in all blocks together, got 12001',
        },
      ]);
    });

    it('checks blocks inside attachments by path', () => {
      const issues = validateSlackMessage({
        text: 't',
        attachments: [{ color: '#fff', blocks: [header('h'.repeat(151))] }],
      });
      expect(issues).toEqual([
        { path: 'attachments[0].blocks[0].text.text', message: 'at most 150 characters, got 151' },
      ]);
    });
  });
});
