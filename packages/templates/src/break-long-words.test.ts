import { type AlertEvent, LOCALES } from '@pytake/notify-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakDefaults, breakLongWords, ZERO_WIDTH_SPACE } from './break-long-words.js';
import { renderAlertEmail } from './email/render-alert-email.js';
import { fixtureEntries, fixtures } from './fixtures/index.js';
import { longest, segmenter, units } from './testing/body-runs.js';
import { withEveryText, withHostileText } from './testing/hostile.js';
import { htmlProblems } from './testing/html-validity.js';

const N = breakDefaults.maxRun;
const token = `tok_${'9f8e7d6c5b4a'.repeat(6)}`;
const longUrl = `https://app.pytake.net/alerts/${'a1b2c3d4e5'.repeat(8)}?utm_source=email&utm_medium=alert`;
/** A URL and a token in every free-text field, and a long link: what widened the email before. */
function withLongTokens(event: AlertEvent): AlertEvent {
  const e = withEveryText(event, (field) => `${field}: see ${longUrl} (${token}) ${'🔥'.repeat(12)}`);
  return { ...e, alert: { ...e.alert, url: longUrl } } as AlertEvent;
}

describe('breakLongWords()', () => {
  it('leaves short words, spaces and no-break spaces as they are', () => {
    expect(breakLongWords('Database connection pool')).toBe('Database connection pool');
    expect(breakLongWords('Dec 14, 2025, 2:30\u00a0PM')).toBe('Dec 14, 2025, 2:30\u00a0PM');
  });

  it(`splits a run longer than ${N} into even pieces, and removing the breaks gives the text back`, () => {
    const broken = breakLongWords(token);
    expect(broken.replaceAll(ZERO_WIDTH_SPACE, '')).toBe(token);
    const pieces = broken.split(ZERO_WIDTH_SPACE);
    for (const piece of pieces) expect(units(piece)).toBeLessThanOrEqual(N);
    expect(Math.max(...pieces.map(units)) - Math.min(...pieces.map(units))).toBeLessThanOrEqual(1);
    expect(breakLongWords('responsabilidade')).toBe(`responsa${ZERO_WIDTH_SPACE}bilidade`);
  });

  it('never splits a grapheme: an accent stays on its letter, a family emoji stays one', () => {
    const accents = 'e\u0301'.repeat(25);
    for (const piece of breakLongWords(accents).split(ZERO_WIDTH_SPACE))
      expect(piece.startsWith('\u0301')).toBe(false);
    const family = '👨‍👩‍👧'.repeat(8);
    const pieces = breakLongWords(family).split(ZERO_WIDTH_SPACE);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.replaceAll('👨‍👩‍👧', '')).toBe('');
  });
});

/**
 * The algorithm as first written, without its shortcuts (the allocation-free scan for text that needs
 * no break, the sliced ASCII pieces): every piece split out by a regular expression, every run
 * segmented into graphemes. The shortcuts must give the same text for every input.
 */
function referenceBreak(text: string, maxRun: number): string {
  return text
    .split(/([\t\n\f\r \u1680\u2000-\u2006\u2008-\u200b\u205f\u3000]+)/)
    .map((piece, i) => {
      if (i % 2 === 1) return piece;
      const parts = Array.from(segmenter.segment(piece), (s) => s.segment);
      const w = (g: string) => (/\p{Extended_Pictographic}/u.test(g) ? 2 : 1);
      let left = parts.reduce((n, g) => n + w(g), 0);
      if (left <= maxRun) return piece;
      let piecesLeft = Math.ceil(left / maxRun);
      let target = Math.ceil(left / piecesLeft);
      let out = '';
      let width = 0;
      for (const g of parts) {
        if (width > 0 && width + w(g) > target) {
          out += ZERO_WIDTH_SPACE;
          left -= width;
          piecesLeft = Math.max(1, piecesLeft - 1);
          target = Math.min(maxRun, Math.ceil(left / piecesLeft));
          width = 0;
        }
        out += g;
        width += w(g);
      }
      return out;
    })
    .join('');
}

describe('breakLongWords() and the plain algorithm', () => {
  // Short runs around the limits, every kind of break, accents, emoji, no-break spaces, ASCII.
  const glyph = fc.constantFrom(
    ...'abcdefghij0123456789_-./?=&:',
    ' ',
    '\t',
    '\n',
    '\r\n',
    '\u000b',
    '\f',
    'abcdefghijk',
    '\u00a0',
    '\u2007',
    '\u200a',
    '\u200b',
    '\u3000',
    'é',
    'e\u0301',
    'ç',
    '日',
    '🔥',
    '👨‍👩‍👧',
    '©',
    '®',
    'ã',
    '\u00ad',
    '\u0085',
    '\u02ff',
    '\u0300',
    'a\ufe0f',
    '©\ufe0f',
  );
  // ASCII only, which takes a path of its own.
  const asciiGlyph = fc.constantFrom(
    ...'abcdefghij0123456789_-./?=&:',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r\n',
    '\u000b',
    '\f',
  );
  const text = fc.oneof(
    fc.array(glyph, { maxLength: 60 }).map((g) => g.join('')),
    fc.array(asciiGlyph, { maxLength: 80 }).map((g) => g.join('')),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );

  it('gives the same text for any input and limit', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 16 }), (t, maxRun) => {
        expect(breakLongWords(t, maxRun)).toBe(referenceBreak(t, maxRun));
      }),
      { numRuns: 5000 },
    );
    expect(breakLongWords(token)).toBe(referenceBreak(token, N));
  });
});

describe('long unbroken text in the email HTML', () => {
  const cases: Array<[string, AlertEvent]> = [
    ...fixtureEntries.map((f): [string, AlertEvent] => [f.name, f.event]),
    ...fixtureEntries.map((f): [string, AlertEvent] => [`${f.name}, hostile`, withHostileText(f.event)]),
    ...fixtureEntries
      .filter((f) => !f.name.startsWith('hard-'))
      .map((f): [string, AlertEvent] => [`${f.name}, with a long URL and token`, withLongTokens(f.event)]),
  ];

  for (const locale of LOCALES) {
    it(`has no run over ${N} glyph units between break opportunities, for every fixture (${locale})`, async () => {
      for (const [name, event] of cases) {
        const { html } = await renderAlertEmail(event, { locale });
        expect(units(longest(html)), `${name}: "${longest(html)}"`).toBeLessThanOrEqual(N);
      }
    });
  }

  it('keeps the plain text, the subject and every href exact', async () => {
    const event = withLongTokens(fixtures['escalated-high']);
    const email = await renderAlertEmail(event);
    expect(email.text).toContain(token);
    expect(email.text).toContain(`View Alert: ${longUrl}`);
    expect(email.text).not.toContain(ZERO_WIDTH_SPACE);
    expect(email.subject).not.toContain(ZERO_WIDTH_SPACE);
    expect(email.html).toContain(`href="${longUrl.replaceAll('&', '&amp;')}"`);
    for (const [, href] of email.html.matchAll(/href="([^"]*)"/g))
      expect(href).not.toContain(ZERO_WIDTH_SPACE);
    expect(await htmlProblems(email.html)).toEqual([]);
  });

  it('without the breaks the same email would have runs far too long for 320 px (the test can fail)', async () => {
    const { html } = await renderAlertEmail(withLongTokens(fixtures['created-high']));
    expect(units(longest(html.replaceAll(ZERO_WIDTH_SPACE, '')))).toBeGreaterThan(4 * N);
  });
});
