import {
  ALERT_STATUSES,
  type AlertEvent,
  type AlertEventInput,
  LOCALES,
  parseAlertEvent,
  SEVERITIES,
} from '@pytake/notify-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileInputsHash, renderingPackages } from '../compile/compile-inputs.js';
import { digestFixture, fixtureEntries } from '../fixtures/index.js';
import type { AlertEmailOptions } from '../options.js';
import { renderAlertEmailWithReact as renderWithReact } from '../react/render-alert-email-with-react.js';
import { renderDigestEmailWithReact } from '../react/render-digest-email-with-react.js';
import { hostile } from '../testing/hostile.js';
import { compiledEmails } from './compiled-emails.generated.js';
import { renderAlertEmail } from './render-alert-email.js';
import { renderDigestEmail } from './render-digest-email.js';

// The compiled templates are React's output with holes: these tests prove that filling them gives
// React's bytes, so an upgrade of react-dom or React Email that writes other HTML fails here first.

const timeZones = ['UTC', 'America/Sao_Paulo', 'Asia/Tokyo'];
const brands: AlertEmailOptions['brand'][] = [
  undefined,
  { name: 'Acme Ops', color: '#123456' },
  { name: "O'Brien & <Sons>", color: '#abc', logoUrl: "https://cdn.example.com/logo.png?a=1&b='x'" },
];

describe('the compiled email templates', () => {
  it('were compiled from these sources and the installed react-dom and React Email (else: pnpm run compile)', () => {
    expect(compiledEmails.versions).toEqual(renderingPackages());
    expect(Object.keys(compiledEmails.versions)).toEqual(expect.arrayContaining(['react', 'react-dom']));
    expect(compiledEmails.inputs).toBe(compileInputsHash());
  });

  it('give React’s subject, HTML and text for every fixture × locale × time zone × brand', async () => {
    let compared = 0;
    for (const { name, event } of fixtureEntries) {
      for (const locale of LOCALES) {
        for (const timeZone of timeZones) {
          for (const brand of brands) {
            const options = { locale, timeZone, ...(brand ? { brand } : {}) };
            const react = await renderWithReact(event, options);
            const compiled = await renderAlertEmail(event, options);
            expect(compiled.subject, `${name} ${locale} ${timeZone}`).toBe(react.subject);
            expect(compiled.text, `${name} ${locale} ${timeZone}`).toBe(react.text);
            expect(compiled.html, `${name} ${locale} ${timeZone} ${brand?.name}`).toBe(react.html);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(fixtureEntries.length * LOCALES.length * timeZones.length * brands.length);
  });

  it('give React’s subject, HTML and text for digests of 1, 2, 12, 60 and 2,000 alerts × locale × brand', async () => {
    let compared = 0;
    for (const count of [1, 2, 12, 60, 2_000]) {
      const digest = digestFixture(count);
      for (const locale of LOCALES) {
        for (const brand of brands) {
          for (const dashboardUrl of [undefined, "https://app.example.com/alerts?org=a&x='y'"]) {
            const options = {
              locale,
              ...(brand ? { brand } : {}),
              ...(dashboardUrl ? { dashboardUrl } : {}),
            };
            const react = await renderDigestEmailWithReact(digest, options);
            const compiled = await renderDigestEmail(digest, options);
            expect(compiled.subject).toBe(react.subject);
            expect(compiled.text).toBe(react.text);
            expect(compiled.html, `${count} ${locale} ${brand?.name} ${dashboardUrl}`).toBe(react.html);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(5 * LOCALES.length * brands.length * 2);
  });

  // Text that has broken compiled templates elsewhere: markup, entities, React's text separator,
  // this compiler's own markers, lone surrogates, long runs for breakLongWords, the Preview's 150.
  const tricky = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '\t\n ',
      hostile('x'),
      '<!-- -->',
      '\ue000\ue100\ue001\ue001',
      '\ue000',
      '\'"&<>',
      '&amp;&#x27;',
      '\ud83d',
      '\udc00x',
      '👩🏽‍💻'.repeat(40),
      'a'.repeat(149),
      'é'.repeat(151),
      `${'W'.repeat(300)} ${'x'.repeat(11)}`,
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ maxLength: 160 }),
  );
  const optional = fc.option(tricky, { nil: undefined });
  const nonEmpty = (text: string) => (text.length > 0 ? text : 'x');
  const url = fc.option(
    fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.constant('https://app.example.com/a?b=1&c=\'d\'&e="f"<g>'),
    ),
    { nil: undefined },
  );
  const minute = 60_000;
  const created = Date.parse('2025-12-14T14:30:00Z');
  const eventArb = fc
    .record({
      type: fc.constantFrom('alert.created', 'alert.escalated', 'alert.resolved', 'alert.stale'),
      title: tricky,
      description: optional,
      organizationName: optional,
      category: tricky,
      severity: fc.constantFrom(...SEVERITIES),
      status: fc.option(fc.constantFrom(...ALERT_STATUSES), { nil: undefined }),
      url,
      id: tricky,
      after: fc.integer({ min: 0, max: 40 * 24 * 60 }),
      idle: fc.integer({ min: 0, max: 40 * 24 * 60 }),
      fromLevel: fc.integer({ min: 1, max: 5 }),
      toLevel: fc.integer({ min: 1, max: 5 }),
      text1: optional,
      text2: optional,
    })
    .map((r): AlertEventInput => {
      const occurred = created + Math.max(r.after, r.idle) * minute;
      const alert = {
        id: nonEmpty(r.id),
        organizationId: 'org_acme',
        title: nonEmpty(r.title).slice(0, 255),
        severity: r.severity,
        category: nonEmpty(r.category),
        createdAt: new Date(created).toISOString(),
        ...(r.description === undefined ? {} : { description: r.description }),
        ...(r.organizationName === undefined ? {} : { organizationName: r.organizationName }),
        ...(r.status === undefined ? {} : { status: r.status }),
        ...(r.url === undefined ? {} : { url: r.url }),
      };
      const base = { occurredAt: new Date(occurred).toISOString(), alert };
      const opt = (key: string, value: string | undefined) => (value === undefined ? {} : { [key]: value });
      switch (r.type) {
        case 'alert.created':
          return { type: r.type, ...base };
        case 'alert.escalated':
          return {
            type: r.type,
            ...base,
            fromLevel: r.fromLevel,
            toLevel: r.toLevel,
            ...opt('reason', r.text1),
            ...opt('assignedTo', r.text2),
          };
        case 'alert.resolved':
          return { type: r.type, ...base, ...opt('resolvedBy', r.text1), ...opt('resolutionNotes', r.text2) };
        default:
          return {
            type: 'alert.stale',
            ...base,
            lastActivityAt: new Date(occurred - r.idle * minute).toISOString(),
            ...opt('currentOwner', r.text1),
          };
      }
    });
  const optionsArb = fc.record(
    {
      locale: fc.constantFrom(...LOCALES),
      timeZone: fc.constantFrom(...timeZones, 'Pacific/Chatham', 'America/St_Johns'),
      dashboardUrl: fc.constantFrom('https://app.example.com/alerts', "https://x.example/?q='a'&b"),
      organizationName: tricky,
      firstReportedInDigest: fc.constant('dgst_1'),
      brand: fc.record(
        {
          name: tricky.map(nonEmpty).filter((name) => name.trim() !== ''),
          color: fc.constantFrom('#1e40af', '#ABC', '#00ff00'),
          logoUrl: fc.webUrl({ withQueryParameters: true }),
        },
        { requiredKeys: ['name'] },
      ),
    },
    { requiredKeys: ['locale'] },
  );

  // 10,000 generated events in 10 tests of 1,000, so that each test's ceiling is a ceiling and not
  // a bet on the machine's speed: 1,000 React renders take about 3 s on a quiet machine, and the
  // whole 10,000 took more than 20 minutes at a load average of 20 to 30 (the long texts are the
  // constants above and the fixtures: generated ones stay short, which the React side pays for most).
  // Each chunk has its own seed from one random base, printed by fast-check when a chunk fails.
  it('give React’s HTML and text for generated digests (hostile, empty, long, marker-like titles)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 80 }),
        fc.array(tricky.map(nonEmpty), { minLength: 1, maxLength: 10 }),
        optionsArb,
        async (count, titles, options) => {
          const digest = digestFixture(count);
          const events = digest.events.map(
            (event, i) =>
              ({
                ...event,
                alert: { ...event.alert, title: titles[i % titles.length]!.slice(0, 255) },
              }) as AlertEvent,
          );
          const compiled = await renderDigestEmail({ ...digest, events }, options);
          const react = await renderDigestEmailWithReact({ ...digest, events }, options);
          expect(compiled.subject).toBe(react.subject);
          expect(compiled.text).toBe(react.text);
          expect(compiled.html).toBe(react.html);
        },
      ),
      { numRuns: 100, seed: 20_251_214 },
    );
  });

  const chunks = 10;
  const runsPerChunk = 1_000;
  const chunkCeilingMs = 900_000;
  const baseSeed = Math.floor(Math.random() * 2 ** 31);

  for (let chunk = 0; chunk < chunks; chunk++) {
    it(
      `give React’s subject, HTML and text for generated events ${chunk * runsPerChunk + 1} to ${(chunk + 1) * runsPerChunk} of 10,000 (hostile, empty, long, marker-like text)`,
      async () => {
        let compared = 0;
        await fc.assert(
          fc.asyncProperty(eventArb, optionsArb, async (input, options) => {
            const event = parseAlertEvent(input);
            const compiled = await renderAlertEmail(event, options);
            const react = await renderWithReact(event, options);
            expect(compiled.subject).toBe(react.subject);
            expect(compiled.text).toBe(react.text);
            expect(compiled.html).toBe(react.html);
            compared++;
          }),
          { numRuns: runsPerChunk, seed: baseSeed + chunk },
        );
        expect(compared).toBe(runsPerChunk);
      },
      chunkCeilingMs,
    );
  }
});
