// Property tests over the Slack side: renderAlertSlack (alert data in, a message out), escapeMrkdwn,
// verifySlackRequest (an HTTP request from anyone) and the webhook channel's options and URLs.
import { Agent } from 'node:https';
import { type ConfigError, isNotifyError } from '@pytake/notify-core';
import {
  createSlackWebhookChannel,
  escapeMrkdwn,
  type SlackMessage,
  signSlackRequest,
  validateSlackMessage,
  verifySlackRequest,
} from '@pytake/notify-slack';
import { renderAlertSlack } from '@pytake/notify-templates';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alertEvent,
  attackerText,
  FORMAT_PAYLOADS,
  type GeneratedEvent,
  junk,
} from './testing/arbitraries.js';
import { checkAsyncProperty, checkProperty, generatedInputs, typedOnly } from './testing/property.js';

afterAll(() => console.log(`slack: ${generatedInputs()} generated inputs in all`));

interface TextObject {
  type: string;
  text: string;
  verbatim?: boolean;
}

/** Every text object in a message (blocks and attachments), found by walking it. */
function textObjects(message: SlackMessage): TextObject[] {
  const found: TextObject[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string')
        found.push(o as unknown as TextObject);
      for (const value of Object.values(o)) walk(value);
    }
  };
  walk(message);
  return found;
}

/** The texts Slack reads as mrkdwn: mrkdwn text objects and the top-level `text`. */
function mrkdwnTexts(message: SlackMessage): string[] {
  const texts = textObjects(message)
    .filter((t) => t.type === 'mrkdwn')
    .map((t) => t.text);
  const top = (message as { text?: unknown }).text;
  return typeof top === 'string' ? [top, ...texts] : texts;
}

// Slack's control sequences: mentions (<!…>, <@…>, <#…>) and links (<http…>, <mailto:…>).
const ACTIVE = /<(?:[!@#]|https?:|mailto:|tel:|slack:)/i;

const MENTION_IDS = ['U024BE7LH', 'S0123ABC'];
const options = fc.record({
  locale: fc.constantFrom('en', 'pt-BR') as fc.Arbitrary<'en' | 'pt-BR'>,
  timeZone: fc.constantFrom('UTC', 'America/Sao_Paulo', 'Asia/Kolkata'),
  mentionOnEscalation: fc.constantFrom<boolean | string[]>(false, true, MENTION_IDS),
  dashboardUrl: fc.option(
    fc.constantFrom('https://app.pytake.example', 'https://app.pytake.example/?a=<b>&c'),
    {
      nil: undefined,
    },
  ),
  organizationName: fc.option(attackerText, { nil: undefined }),
});
const rendered = fc.tuple(alertEvent, options);

/** Renders, or undefined when the event is malformed (a typed error, as promised). */
function render([generated, opts]: [GeneratedEvent, Parameters<typeof renderAlertSlack>[1]]) {
  const result = typedOnly(() => renderAlertSlack(generated.event, opts), isNotifyError);
  return result.ok ? result.value : undefined;
}

/** The mention the options ask for, which the top-level text may (and only it may) start with. */
function ownMention(opts: { mentionOnEscalation?: boolean | readonly string[] }): string {
  const m = opts.mentionOnEscalation;
  if (m === true) return '<!channel> ';
  if (Array.isArray(m))
    return `${m.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`)).join(' ')} `;
  return '';
}

describe('renderAlertSlack', () => {
  it('throws only typed errors, and every message is within Slack’s limits', () => {
    checkProperty(
      'renderAlertSlack: typed errors, within limits',
      rendered,
      (input) => {
        const message = render(input);
        if (message) expect(validateSlackMessage(message)).toEqual([]);
      },
      { numRuns: 3_000 },
    );
  });

  it('lets no mention or link from alert data become active', () => {
    checkProperty(
      'renderAlertSlack: no active mention or link',
      rendered,
      (input) => {
        const message = render(input);
        if (!message) return;
        const [top, ...rest] = mrkdwnTexts(message);
        const mention = input[0].event.type === 'alert.escalated' ? ownMention(input[1] ?? {}) : '';
        const topWithout = top && mention && top.startsWith(mention) ? top.slice(mention.length) : top;
        for (const text of [topWithout ?? '', ...rest]) expect(text).not.toMatch(ACTIVE);
      },
      { numRuns: 3_000 },
    );
  });

  it('lets no formatting from alert data apply, and sets verbatim on every mrkdwn text with alert data', () => {
    checkProperty(
      'renderAlertSlack: no formatting, verbatim',
      rendered,
      (input) => {
        const message = render(input);
        if (!message) return;
        const [generated] = input;
        const markers = generated.texts.map((t) => t.slice(0, 8));
        for (const object of textObjects(message)) {
          if (object.type === 'mrkdwn' && markers.some((m) => object.text.includes(m)))
            expect(object, 'a mrkdwn text object with alert data').toMatchObject({ verbatim: true });
        }
        const used = FORMAT_PAYLOADS.filter((p) => generated.texts.some((t) => t.includes(p)));
        for (const text of mrkdwnTexts(message)) for (const p of used) expect(activeAt(text, p)).toEqual([]);
      },
      { numRuns: 3_000 },
    );
  });
});

// Where `payload` (`*pwnbold*`, `` `pwncode` ``) stands in `text` so that Slack would format it:
// `*`, `_` and `~` format only at word boundaries, so `0~pwnstrike~0` inside a word does not count.
function activeAt(text: string, payload: string): number[] {
  const word = /[\p{L}\p{N}]/u;
  const found: number[] = [];
  for (let at = text.indexOf(payload); at >= 0; at = text.indexOf(payload, at + 1)) {
    const inWord = word.test(text[at - 1] ?? '') && word.test(text[at + payload.length] ?? '');
    if (payload.startsWith('`') || !inWord) found.push(at);
  }
  return found;
}

describe('escapeMrkdwn', () => {
  const text = fc.oneof(attackerText, fc.string({ unit: 'binary', maxLength: 60 }));
  it('leaves no markup character, and every & starts an entity', () => {
    checkProperty(
      'escapeMrkdwn: no markup',
      text,
      (s) => {
        const out = escapeMrkdwn(s);
        expect(out).not.toMatch(/[<>]/);
        expect(out.replace(/&(?:amp|lt|gt);/g, '')).not.toContain('&');
      },
      { numRuns: 25_000 },
    );
  });

  // Slack must show the character and apply no formatting: either a look-alike replaces it, or a
  // zero-width space stands beside it (the slack README says which one it does), or it
  // sits inside a word, where Slack never formats.
  it('neutralizes *, _, ~ and backticks', () => {
    checkProperty(
      'escapeMrkdwn: no formatting',
      text,
      (s) => {
        const out = escapeMrkdwn(s);
        const word = /[\p{L}\p{N}]/u;
        for (let i = 0; i < out.length; i++) {
          if ('*_~`'.includes(out[i]!)) {
            // Slack never formats with * _ ~ between two letters or digits (`order_update_v3`).
            const intraword = out[i] !== '`' && word.test(out[i - 1] ?? '') && word.test(out[i + 1] ?? '');
            const zeroWidth = out[i - 1] === '\u200b' || out[i + 1] === '\u200b';
            expect(intraword || zeroWidth, `${JSON.stringify(out)} at ${i}`).toBe(true);
          }
        }
      },
      { numRuns: 25_000 },
    );
  });
});

describe('verifySlackRequest', () => {
  const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
  const NOW = 1_767_225_600; // 2026-01-01
  const number = fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0),
    fc.double({ min: -1e10, max: 1e10, noNaN: true }),
    fc.integer({ min: NOW - 10_000, max: NOW + 10_000 }),
  );
  const body = fc.oneof(
    fc.string(),
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    junk,
  );

  const header = (value: fc.Arbitrary<string>) =>
    fc.oneof(
      value,
      fc.string(),
      fc.array(value, { minLength: 1, maxLength: 2 }),
      fc.constantFrom(undefined, null),
    );
  it('answers anything with a result or a typed error, never a raw TypeError', () => {
    checkProperty(
      'verifySlackRequest: typed errors only',
      fc.record({
        signingSecret: fc.oneof(fc.constant(SECRET), fc.string()),
        rawBody: body,
        // Headers as a server hands them over (node:http gives string | string[] | undefined); the
        // body as anything, since a framework may already have parsed it.
        timestamp: fc.oneof(header(fc.constant(String(NOW))), fc.constantFrom(NOW, 0, Number.NaN)),
        signature: header(fc.string()),
        nowSeconds: fc.option(number, { nil: undefined }),
        toleranceSeconds: fc.option(number, { nil: undefined }),
      }),
      (input) => {
        const result = typedOnly(() => verifySlackRequest(input as never), isNotifyError);
        const isBody = typeof input.rawBody === 'string' || Buffer.isBuffer(input.rawBody);
        if (!isBody && result.ok) expect(result.value).toMatchObject({ ok: false });
      },
      { numRuns: 10_000 },
    );
  });

  it('accepts a signed request only within a finite tolerance of a finite now', () => {
    checkProperty(
      'verifySlackRequest: no replay',
      fc.record({
        body: fc.string({ maxLength: 200 }),
        timestamp: fc.oneof(
          fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
          fc.integer({ min: NOW - 600, max: NOW + 600 }),
        ),
        nowSeconds: fc.option(number, { nil: undefined }),
        toleranceSeconds: fc.option(number, { nil: undefined }),
      }),
      ({ body, timestamp, nowSeconds, toleranceSeconds }) => {
        const signed = signSlackRequest(SECRET, body, timestamp);
        const input = {
          signingSecret: SECRET,
          rawBody: body,
          timestamp: signed['x-slack-request-timestamp'],
          signature: signed['x-slack-signature'],
          nowSeconds: nowSeconds ?? NOW,
          toleranceSeconds,
        };
        const result = typedOnly(() => verifySlackRequest(input), isNotifyError);
        if (!result.ok || !result.value.ok) return;
        const tolerance = toleranceSeconds ?? 300;
        expect(Number.isFinite(input.nowSeconds) && Number.isFinite(tolerance)).toBe(true);
        expect(Math.abs(input.nowSeconds - timestamp)).toBeLessThanOrEqual(tolerance);
      },
      { numRuns: 8_000 },
    );
  });

  it('never accepts a body or signature that was changed', () => {
    checkProperty(
      'verifySlackRequest: tampering',
      fc.tuple(fc.string({ maxLength: 100 }), fc.string({ minLength: 1, maxLength: 5 }), fc.boolean()),
      ([body, extra, tamperBody]) => {
        const signed = signSlackRequest(SECRET, body, NOW);
        const good = signed['x-slack-signature'];
        const signature = tamperBody ? good : `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
        const result = verifySlackRequest({
          signingSecret: SECRET,
          rawBody: tamperBody ? body + extra : body,
          timestamp: NOW,
          signature,
          nowSeconds: NOW,
        });
        expect(result.ok).toBe(false);
      },
      { numRuns: 5_000 },
    );
  });
});

describe('createSlackWebhookChannel', () => {
  const bad = fc.oneof(
    fc.constantFrom(Number.NaN, 0, -1, Number.NEGATIVE_INFINITY),
    fc.double({ max: 0, noNaN: true }),
  );
  it('refuses a bad numeric option when created, with a ConfigError naming it', () => {
    checkProperty(
      'createSlackWebhookChannel: numeric options',
      fc.tuple(fc.constantFrom('timeoutMs', 'perSecond', 'burst'), bad),
      ([option, value]) => {
        const create = () =>
          option === 'timeoutMs'
            ? createSlackWebhookChannel({ timeoutMs: value })
            : createSlackWebhookChannel({ rateLimit: { [option]: value } });
        let error: unknown;
        try {
          create();
        } catch (caught) {
          error = caught;
        }
        expect(error, `${option}: ${value}`).toBeInstanceOf(Error);
        expect(isNotifyError(error) && error.code).toBe('config');
        expect(
          String((error as Error).message) + JSON.stringify((error as ConfigError).issues ?? []),
        ).toContain(option);
      },
      { numRuns: 1_000 },
    );
  });

  it('refuses a Slack host on a port other than 443, or an over-long URL, before any request', async () => {
    const message = { text: 'hi' } as SlackMessage;
    await checkAsyncProperty(
      'webhook channel: ports and URL length',
      fc.oneof(
        fc
          .integer({ min: 1, max: 65_535 })
          .filter((p) => p !== 443)
          .map((p) => `https://hooks.slack.com:${p}/services/T0/B0/x`),
        fc
          .integer({ min: 10_000, max: 100_000 })
          .map((n) => `https://hooks.slack.com/services/T0/B0/${'x'.repeat(n)}`),
      ),
      async (webhookUrl) => {
        let requests = 0;
        // An agent that counts the connections it is asked for, so a URL let through shows up here.
        const agent = new (class extends Agent {
          override createConnection(...args: Parameters<Agent['createConnection']>) {
            requests++;
            return super.createConnection(...args);
          }
        })();
        const channel = createSlackWebhookChannel({ retry: { maxAttempts: 1 }, rateLimit: false, agent });
        const error = await channel.send({ webhookUrl, message }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(requests).toBe(0);
        expect(isNotifyError(error) && error.code).toBe('config');
      },
      { numRuns: 200 },
    );
  });
});
