// Property tests over the email side: renderAlertEmail (alert data into HTML), the email channel's
// message validation (validateEmailMessage), and send() against a local smtp-server for the headers.
import { isNotifyError } from '@pytake/notify-core';
import {
  createEmailChannel,
  type EmailChannel,
  type EmailMessage,
  validateEmailMessage,
} from '@pytake/notify-email';
import { renderAlertEmail } from '@pytake/notify-templates';
import fc from 'fast-check';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertEvent,
  attackerText,
  emailAddress,
  HTML_PAYLOADS,
  junk,
  setPath,
} from './testing/arbitraries.js';
import { checkAsyncProperty, checkProperty, generatedInputs, typedOnly } from './testing/property.js';

afterAll(() => console.log(`email: ${generatedInputs()} generated inputs in all`));

const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
const DANGEROUS_TAGS = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'form',
  'base',
  'frame',
  'frameset',
  'applet',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'background', 'poster', 'xlink:href']);

const decode = (value: string) =>
  value
    .replace(/^["']|["']$/g, '')
    .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ':')
    // Browsers ignore control characters and spaces inside a scheme (`java\tscript:`).
    .replace(/[\s\p{Cc}]/gu, '');

/** What in the HTML could run: dangerous tags, event handler attributes, script URLs. */
function activeParts(html: string): string[] {
  const found: string[] = [];
  for (const [, name, attributes] of html.matchAll(TAG)) {
    if (DANGEROUS_TAGS.has(name!.toLowerCase())) found.push(`<${name}>`);
    for (const [, attr, value] of (attributes ?? '').matchAll(ATTRIBUTE)) {
      const a = attr!.toLowerCase();
      if (a.startsWith('on')) found.push(`${a}= on <${name}>`);
      if (URL_ATTRIBUTES.has(a) && value && /^(?:javascript|vbscript|data):/i.test(decode(value)))
        found.push(`${a}=${value}`);
    }
  }
  return found;
}

describe('renderAlertEmail', () => {
  const input = fc.tuple(
    alertEvent,
    fc.record({
      locale: fc.constantFrom('en', 'pt-BR') as fc.Arbitrary<'en' | 'pt-BR'>,
      timeZone: fc.constantFrom('UTC', 'America/Sao_Paulo'),
      organizationName: fc.option(attackerText, { nil: undefined }),
      dashboardUrl: fc.option(
        fc.constantFrom(
          'https://app.pytake.example',
          'javascript:alert(1)',
          'https://a.example/"onmouseover="x',
        ),
        { nil: undefined },
      ),
    }),
  );
  it('throws only typed errors; no CR/LF in the subject; no attacker text active in the HTML', async () => {
    await checkAsyncProperty(
      'renderAlertEmail: typed errors, clean subject, inert HTML',
      input,
      async ([generated, options]) => {
        let email: Awaited<ReturnType<typeof renderAlertEmail>>;
        try {
          email = await renderAlertEmail(generated.event, options);
        } catch (error) {
          if (!isNotifyError(error)) throw new Error(`threw a raw ${String(error)}`, { cause: error });
          return;
        }
        expect(email.subject).not.toMatch(/[\r\n]/);
        expect(activeParts(email.html)).toEqual([]);
        // Markup from alert data never appears as markup.
        const texts = [...generated.texts, options.organizationName ?? ''];
        for (const payload of HTML_PAYLOADS.filter(
          (p) => /<[a-z/]/i.test(p) && texts.some((t) => t.includes(p)),
        ))
          expect(email.html).not.toContain(payload);
      },
      { numRuns: 1_000, endOnFailure: true },
    );
  });
});

const address = fc.oneof(
  emailAddress,
  fc.record({ email: emailAddress, name: fc.option(attackerText, { nil: undefined }) }),
);
const HEADER_NAMES = [
  'X-PyTake-Alert',
  'X-Priority',
  'Content-Type',
  'content-transfer-encoding',
  'MIME-Version',
  'Date',
  'Return-Path',
  'Resent-To',
  'Resent-From',
  'Bcc',
  'X Bad',
  'X:Bad',
  'X-Ünicode',
];
const message = fc.record(
  {
    to: fc.oneof(address, fc.array(address, { maxLength: 3 })),
    cc: fc.array(address, { maxLength: 2 }),
    bcc: fc.array(address, { maxLength: 2 }),
    replyTo: address,
    subject: attackerText,
    html: attackerText,
    text: attackerText,
    headers: fc.dictionary(fc.constantFrom(...HEADER_NAMES), attackerText, { maxKeys: 3 }),
    threadKey: fc.string({ maxLength: 10 }),
    threadRoot: fc.boolean(),
  },
  { requiredKeys: ['to', 'subject', 'html'] },
);
const RESERVED = /^(?:content-.*|mime-version|date|return-path|resent-.*)$/i;

const names = (list: unknown): string[] =>
  (Array.isArray(list) ? list : list === undefined ? [] : [list]).flatMap((a) =>
    typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string'
      ? [(a as { name: string }).name]
      : [],
  );

describe('validateEmailMessage', () => {
  const anyMessage = fc.oneof(
    { weight: 5, arbitrary: message as fc.Arbitrary<unknown> },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          message,
          fc.constantFrom(
            'to',
            'cc',
            'subject',
            'headers',
            'replyTo',
            'html',
            'to.0',
            'headers.X-PyTake-Alert',
          ),
          junk,
        )
        .map(([m, path, value]) => setPath(m, path, value)),
    },
    { weight: 1, arbitrary: junk },
  );
  it('throws only typed errors, and accepts no CR or LF for a header', () => {
    checkProperty(
      'validateEmailMessage: typed errors, no CR/LF',
      anyMessage,
      (m) => {
        const result = typedOnly(() => validateEmailMessage(m as EmailMessage), isNotifyError);
        if (!result.ok) return;
        const accepted = m as EmailMessage;
        const headerTexts = [
          accepted.subject,
          ...names(accepted.to),
          ...names(accepted.cc),
          ...names(accepted.bcc),
          ...names(accepted.replyTo),
          ...Object.values(accepted.headers ?? {}),
        ];
        for (const text of headerTexts) expect(text).not.toMatch(/[\r\n]/);
      },
      { numRuns: 5_000 },
    );
  });

  it('refuses the headers the channel or the MIME structure own', () => {
    checkProperty(
      'validateEmailMessage: reserved headers',
      message,
      (m) => {
        const result = typedOnly(() => validateEmailMessage(m as EmailMessage), isNotifyError);
        if (!result.ok) return;
        for (const name of Object.keys(m.headers ?? {})) expect(name).not.toMatch(RESERVED);
      },
      { numRuns: 3_000 },
    );
  });
});

describe('send() against a local smtp-server', () => {
  let server: SMTPServer;
  let channel: EmailChannel;
  const received: string[] = [];
  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      hideSTARTTLS: true,
      authOptional: true,
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback(null, 'queued');
        });
      },
    });
    server.on('error', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    channel = createEmailChannel(
      { host: '127.0.0.1', port, useTls: false, timeoutSeconds: 30 },
      { retry: { maxAttempts: 1 } },
    );
  });
  afterAll(async () => {
    channel?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const longWord = fc.integer({ min: 900, max: 3_000 }).map((n) => 'W'.repeat(n));
  const sent = fc.record({
    subject: fc.oneof(attackerText, longWord),
    name: fc.oneof(attackerText, longWord),
    header: fc.oneof(attackerText, longWord),
  });
  it('writes no header line over 998 characters and no header the message did not ask for', async () => {
    await checkAsyncProperty(
      'send(): header lines',
      sent,
      async ({ subject, name, header }) => {
        const before = received.length;
        const outcome = await channel
          .send({
            to: [{ email: 'ops@acme.example', name }],
            subject,
            html: '<p>hi</p>',
            headers: { 'X-PyTake-Alert': header },
          })
          .then(
            () => 'sent' as const,
            (error: unknown) => {
              if (!isNotifyError(error)) throw error;
              return 'refused' as const;
            },
          );
        if (outcome === 'refused') return;
        const raw = received[before]!;
        const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
        for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
        const fields = head
          .split('\r\n')
          .filter((line) => /^[^\s:]+:/.test(line))
          .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
        for (const field of fields)
          expect([
            'from',
            'to',
            'subject',
            'message-id',
            'date',
            'mime-version',
            'content-type',
            'content-transfer-encoding',
            'x-pytake-alert',
            'in-reply-to',
            'references',
            // Set on every message: alerts are automatic mail (RFC 3834, and Exchange's equivalent).
            'auto-submitted',
            'x-auto-response-suppress',
          ]).toContain(field);
      },
      { numRuns: 60, endOnFailure: true },
    );
  });
});
