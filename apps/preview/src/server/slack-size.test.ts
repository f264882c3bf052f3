import { SLACK_LIMITS } from '@pytake/notify-slack';
import { renderAlertSlack } from '@pytake/notify-templates';
import { fixtureEntries } from '@pytake/notify-templates/fixtures';
import { describe, expect, it } from 'vitest';
import { slackSize } from './slack-size.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, value = 'v') => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: text,
  value,
});

describe('slackSize()', () => {
  it('counts blocks, buttons and characters of a message with an attachment', () => {
    const size = slackSize({
      text: 'fallback',
      attachments: [
        {
          color: '#f00',
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: 'Title' } },
            section('Body'),
            { type: 'divider' },
            { type: 'actions', elements: [button('Ack'), button('Resolve')] },
          ],
        },
      ],
    });
    expect(size.blocks).toEqual({ what: 'blocks', used: 4, limit: SLACK_LIMITS.blocks });
    expect(size.buttons).toEqual({ what: 'buttons', used: 2, limit: SLACK_LIMITS.actionsElements });
    // fallback (8) + Title (5) + Body (4) + Ack (3) + Resolve (7)
    expect(size.characters).toEqual({ what: 'characters', used: 27, limit: SLACK_LIMITS.messageText });
    expect(size.perBlock.map((b) => [b.in, b.index, b.type, b.chars])).toEqual([
      ['attachment', 0, 'header', 5],
      ['attachment', 1, 'section', 4],
      ['attachment', 2, 'divider', 0],
      ['attachment', 3, 'actions', 10],
    ]);
    expect(size.perBlock[0]!.tightest).toEqual({ what: 'text', used: 5, limit: SLACK_LIMITS.headerText });
    expect(size.perBlock[2]!.tightest).toBeUndefined();
    expect(size.ok).toBe(true);
  });

  it('names the check closest to its limit, and flags a block over one', () => {
    const size = slackSize({
      text: 't',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'short' },
          fields: [
            { type: 'mrkdwn', text: 'x'.repeat(100) },
            { type: 'mrkdwn', text: 'y'.repeat(SLACK_LIMITS.fieldText + 1) },
          ],
        },
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(149) } },
      ],
    });
    expect(size.perBlock[0]).toMatchObject({
      in: 'message',
      ok: false,
      tightest: { what: 'field 2', used: SLACK_LIMITS.fieldText + 1, limit: SLACK_LIMITS.fieldText },
    });
    expect(size.perBlock[1]).toMatchObject({ ok: true, tightest: { what: 'text', used: 149 } });
    expect(size.ok).toBe(false);
  });

  it('flags a message over the block limit', () => {
    const blocks = Array.from({ length: SLACK_LIMITS.blocks + 1 }, () => ({ type: 'divider' }));
    const size = slackSize({ text: 't', blocks });
    expect(size.blocks.used).toBe(SLACK_LIMITS.blocks + 1);
    expect(size.ok).toBe(false);
  });

  it('counts the text of all blocks together against blockText, the top-level text aside', () => {
    const size = slackSize({
      text: 'fallback',
      blocks: [
        section('Body'),
        { type: 'image', image_url: 'https://x', alt_text: 'alt', title: section('T').text },
      ],
      attachments: [{ blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'ctx' }] }] }],
    });
    // Body (4) + alt (3) + T (1) + ctx (3)
    expect(size.blockText).toEqual({ what: 'block text', used: 11, limit: SLACK_LIMITS.blockText });
  });

  it('flags a message whose blocks hold more text together than blockText, each within its own limit', () => {
    const blocks = Array.from({ length: 5 }, () => section('x'.repeat(SLACK_LIMITS.sectionText)));
    const size = slackSize({ text: 't', blocks });
    expect(size.blockText.used).toBe(5 * SLACK_LIMITS.sectionText);
    expect(size.perBlock.every((b) => b.ok)).toBe(true);
    expect(size.ok).toBe(false);
  });

  it('finds every fixture within the limits', () => {
    for (const { name, event } of fixtureEntries) {
      expect({ name, ok: slackSize(renderAlertSlack(event)).ok }).toEqual({ name, ok: true });
    }
  });
});
