import { ValidationError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { link } from './link.js';
import { channelMention, groupMention, userMention } from './mentions.js';
import { slackDate } from './slack-date.js';

describe('mrkdwn helpers', () => {
  describe('escapeMrkdwn()', () => {
    it('escapes &, < and > only', () => {
      expect(escapeMrkdwn('<!channel> & *bold* _it_ > x')).toBe('&lt;!channel&gt; &amp; *bold* _it_ &gt; x');
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
