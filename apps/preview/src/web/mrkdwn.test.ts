import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Mrkdwn } from './mrkdwn.js';

const html = (text: string) => renderToStaticMarkup(createElement(Mrkdwn, { text }));

describe('Mrkdwn', () => {
  describe('emphasis at word boundaries, as Slack formats it', () => {
    it('leaves underscores, asterisks and tildes inside words as typed', () => {
      expect(html('template order_update_v3 failed')).toBe('template order_update_v3 failed');
      expect(html('snake_case_name and 2*3*4 and a~b~c')).toBe('snake_case_name and 2*3*4 and a~b~c');
      expect(html('_leading_underscore and trailing_one_')).toBe('_leading_underscore and trailing_one_');
    });

    it('formats a marker pair that stands at word boundaries', () => {
      expect(html('*bold* _italic_ ~strike~ `code`')).toBe(
        '<strong>bold</strong> <em>italic</em> <s>strike</s> <code>code</code>',
      );
      expect(html('(*Severity:*) _late_, ok')).toBe('(<strong>Severity:</strong>) <em>late</em>, ok');
      expect(html('*Error:* order_update_v3')).toBe('<strong>Error:</strong> order_update_v3');
    });

    it('does not format a pair whose text starts or ends with a space', () => {
      expect(html('a * b * c and _ x _')).toBe('a * b * c and _ x _');
    });

    it('keeps text that only starts and ends with a marker plain', () => {
      expect(html('*x*y*')).toBe('*x*y*');
    });

    it('keeps underscores inside code as typed', () => {
      expect(html('`order_update_v3`')).toBe('<code>order_update_v3</code>');
    });
  });

  describe('escapes and specials', () => {
    it('decodes the three entities Slack escapes and never renders HTML', () => {
      expect(html('&lt;script&gt; &amp; *&lt;b&gt;*')).toBe(
        '&lt;script&gt; &amp; <strong>&lt;b&gt;</strong>',
      );
    });

    it('draws links, mentions and dates', () => {
      expect(html('<https://example.com/a_b_c|the_link>')).toBe(
        '<a href="https://example.com/a_b_c" target="_blank" rel="noreferrer">the_link</a>',
      );
      expect(html('<!channel> <@U123> <!subteam^S1|oncall>')).toBe(
        '<span class="mention">@channel</span> <span class="mention">@U123</span> <span class="mention">@oncall</span>',
      );
      expect(html('<!date^1700000000^{date}|Nov 14>')).toBe('Nov 14');
    });

    it('shows a link to anything but http(s) as text', () => {
      expect(html('<javascript:alert(1)|x>')).toBe('&lt;javascript:alert(1)|x&gt;');
    });
  });
});
