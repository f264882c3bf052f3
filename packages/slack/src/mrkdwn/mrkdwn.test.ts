import { ValidationError } from '@pytake/notify-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { link } from './link.js';
import { channelMention, groupMention, userMention } from './mentions.js';
import { slackDate } from './slack-date.js';

describe('mrkdwn helpers', () => {
  describe('escapeMrkdwn()', () => {
    it('gives what its plain replacements give, with or without its shortcut for text with nothing to escape', () => {
      const replacements: Record<string, string> = {
        '&': '&amp;',
        '<': '&lt;',
        '>': '&gt;',
        '*': '\u2217',
        _: '\u02cd',
        '~': '\u223c',
        '`': '\u02cb',
        '\uff0a': '\ufe61',
        '\uff3f': '\u2e0f',
        '\uff40': '\u02cb',
      };
      const word = /[\p{L}\p{N}]/u;
      const reference = (text: string) =>
        text
          .replace(/(^|\n)([ \t]*)(?=[>\uff1e])/g, '$1$2\u00ad')
          .replace(/[&<>*_~`\uff0a\uff3f\uff40]/g, (c, at: number, all: string) =>
            '*_~\uff0a\uff3f'.includes(c) && word.test(all[at - 1] ?? '') && word.test(all[at + 1] ?? '')
              ? c
              : (replacements[c] as string),
          );
      const char = fc.constantFrom(...'a1 \n\t&<>*_~`é\uff0a\uff1e\uff3f\uff40\uff0b\ufe61'.split(''));
      fc.assert(
        fc.property(
          fc.oneof(
            fc.array(char, { maxLength: 30 }).map((c) => c.join('')),
            fc.string({ unit: 'binary' }),
          ),
          (text) => {
            expect(escapeMrkdwn(text)).toBe(reference(text));
          },
        ),
        { numRuns: 5000 },
      );
    });

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
