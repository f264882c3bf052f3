import { ValidationError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { link } from './link.js';
import { channelMention, groupMention, userMention } from './mentions.js';
import { slackDate } from './slack-date.js';

describe('mrkdwn helpers', () => {
  describe('escapeMrkdwn()', () => {
    it('escapes &, < and >, and shows * _ ~ ` as look-alikes that never format', () => {
      expect(escapeMrkdwn('<!channel> & *bold* _it_ ~s~ `c` > x')).toBe(
        '&lt;!channel&gt; &amp; \u2217bold\u2217 \u02cdit\u02cd \u223cs\u223c \u02cbc\u02cb &gt; x',
      );
      expect(escapeMrkdwn('\uff0aOps\uff0a \uff3fa\uff3f \uff40b\uff40')).toBe(
        '\ufe61Ops\ufe61 \u2e0fa\u2e0f \u02cbb\u02cb',
      );
    });
    it('leaves * _ ~ between two letters or digits as typed, since Slack never formats there', () => {
      expect(escapeMrkdwn('order_update_v3 2*3 a~b São_Paulo')).toBe('order_update_v3 2*3 a~b São_Paulo');
      expect(escapeMrkdwn('_x_y_ a_ _b x_`y`')).toBe('\u02cdx_y\u02cd a\u02cd \u02cdb x\u02cd\u02cby\u02cb');
    });
    it('keeps a > that opens a line from making a block quote', () => {
      expect(escapeMrkdwn('> quoted\nnot > here\n  > again\n\uff1e wide')).toBe(
        '\u00ad&gt; quoted\nnot &gt; here\n  \u00ad&gt; again\n\u00ad\uff1e wide',
      );
    });
    it('leaves text without special characters as it is, and keeps every length but the escapes', () => {
      const plain = 'Disk full on db-1 (97%)';
      expect(escapeMrkdwn(plain)).toBe(plain);
      expect(escapeMrkdwn('a*b_c~d`e')).toHaveLength('a*b_c~d`e'.length);
    });
  });

  describe('link()', () => {
    it('links with an escaped label', () => {
      expect(link('https://app.example/a?x=1&y=2', 'A <b> & c')).toBe(
        '<https://app.example/a?x=1&amp;y=2|A &lt;b&gt; &amp; c>',
      );
    });
    it('keeps a | or > in the URL from ending the link', () => {
      expect(link('https://x.example/a|<!channel>')).toBe('<https://x.example/a%7C%3C!channel%3E>');
    });
    it('rejects a javascript: URL and a relative URL', () => {
      expect(() => link('javascript:alert(1)', 'x')).toThrow(ValidationError);
      expect(() => link('/a/1', 'x')).toThrow('url: expected an absolute URL');
    });
  });

  describe('mentions', () => {
    it('formats user, group and channel mentions', () => {
      expect(userMention('U024BE7LH')).toBe('<@U024BE7LH>');
      expect(groupMention('SAZ94GDB8')).toBe('<!subteam^SAZ94GDB8>');
      expect(channelMention('here')).toBe('<!here>');
    });
    it('rejects ids that are not Slack ids', () => {
      expect(() => userMention('U1> <!channel')).toThrow('id: expected a Slack user id');
      expect(() => groupMention('x')).toThrow(ValidationError);
      expect(() => channelMention('all' as 'here')).toThrow('kind: expected one of channel, here, everyone');
    });
  });

  describe('slackDate()', () => {
    it('formats a date token with an escaped fallback', () => {
      expect(slackDate(new Date('2014-02-18T14:39:42Z'), '{date_short} at {time}', 'Feb 18 <2014>')).toBe(
        '<!date^1392734382^{date_short} at {time}|Feb 18 &lt;2014&gt;>',
      );
    });
    it('rejects an invalid date and a format with markup', () => {
      expect(() => slackDate(new Date('x'), '{date}', 'f')).toThrow('date: expected a valid Date');
      expect(() => slackDate(new Date(0), '{date}|<!channel>', 'f')).toThrow('format:');
    });
  });
});
