// Inputs an attacker (or a careless integration) controls: alert text full of Slack and HTML markup,
// header breaks, look-alikes and very long words; events and tenant rows built from them.
import type { AlertEventInput } from '@pytake/notify-core';
import fc from 'fast-check';

/** Slack markup that must never be active when it comes from alert data. */
export const MENTION_PAYLOADS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0123ABC>',
  '<@U024BE7LH>',
  '<@W024BE7LH|bob>',
  '<#C024BE7LH>',
  '<#C024BE7LH|general>',
  '<http://evil.example/phish|Click here>',
  '<https://evil.example>',
  '<mailto:boss@evil.example|mail>',
  '<!date^1392734382^{date}|x>',
  '&lt;!channel&gt;',
];
/** Formatting from alert data; each has its own marker word, so its literal can be looked for. */
export const FORMAT_PAYLOADS = ['*pwnbold*', '_pwnital_', '~pwnstrike~', '`pwncode`', '```pwnblock```'];
/** Bare text Slack links when a text object is not `verbatim`. */
export const AUTOLINK_PAYLOADS = ['https://evil.example/x', '#general', '@channel', 'evil.example'];
export const HTML_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)' autofocus='",
  '<a href="javascript:alert(1)">x</a>',
  'javascript:alert(1)',
  '<iframe src="https://evil.example"></iframe>',
  '</td></tr></table><form action="https://evil.example">',
  '<!--',
  ']]>',
];
export const HEADER_PAYLOADS = ['\r\nBcc: victim@evil.example', '\nX-Injected: 1', '\r', '\u2028', '\u0085'];
const OTHER_PAYLOADS = ['&amp;', '&', '>', '<', '\u200b', '\u202e', '🔥', 'ação', '\t', '  ', '\\', '%0d%0a'];

export const PAYLOADS = [
  ...MENTION_PAYLOADS,
  ...FORMAT_PAYLOADS,
  ...AUTOLINK_PAYLOADS,
  ...HTML_PAYLOADS,
  ...HEADER_PAYLOADS,
  ...OTHER_PAYLOADS,
];

/** Free text as an attacker writes it. */
export const attackerText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.array(fc.oneof(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 10 })), { maxLength: 6 }),
        fc.constantFrom('', ' ', '\n'),
      )
      .map(([parts, glue]) => parts.join(glue)),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    // A long word (no spaces): header folding and Slack's limits.
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 100, max: 4_000 }), fc.constantFrom(...PAYLOADS))
      .map(([n, payload]) => `${'W'.repeat(n)}${payload}`),
  },
);

/** A short marker word that shows where an alert field ended up in a rendered message. */
export const marker = fc.stringMatching(/^zq[a-z]{6}$/);

/** Text with a marker in front: `zqabcdef <attacker text>`. */
export const markedText = fc.tuple(marker, attackerText).map(([m, t]) => `${m} ${t}`);

const nonEmpty = (text: fc.Arbitrary<string>) => text.filter((t) => t.length > 0);

const T0 = Date.UTC(2020, 0, 1);
const T1 = Date.UTC(2030, 0, 1);
const date = fc.integer({ min: T0, max: T1 });
/** An offset around another date: mostly later, sometimes earlier, sometimes by years. */
const offset = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 30 * 86_400_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: -120_000, max: 120_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5 * 365 * 86_400_000, max: 5 * 365 * 86_400_000 }) },
);
const iso = (ms: number) => new Date(ms).toISOString();

/** Cheap email addresses, mostly valid, some that only look valid (fc.emailAddress costs 0.5 ms). */
export const emailAddress = fc
  .tuple(
    fc.constantFrom('ops', 'on-call', 'a.b', 'x+tag', 'o', 'ops\r\nbcc', '!a.a', '"q"', 'a..b', ''),
    fc.stringMatching(/^[a-z0-9]{1,6}$/),
    fc.constantFrom('acme.example', 'org-1.test', 'a.aa', 'localhost', 'x', 'evil.example>'),
  )
  .map(([local, tag, domain]) => `${local}${tag}@${domain}`);

/** Cheap http(s) URLs (fc.webUrl costs 0.4 ms). */
export const webUrl = fc
  .tuple(
    fc.constantFrom('https://', 'http://'),
    fc.constantFrom(
      'app.pytake.example',
      'hooks.slack.com',
      'evil.example',
      '127.0.0.1:8080',
      'xn--80ak6aa92e.com',
    ),
    fc.stringMatching(/^[a-zA-Z0-9/_.-]{0,30}$/),
  )
  .map(([scheme, host, path]) => `${scheme}${host}/${path}`);

const url = fc.oneof(
  fc.constant(undefined),
  webUrl,
  fc.constantFrom(
    'https://app.pytake.example/alerts/1?q=<script>',
    'https://app.pytake.example/alerts/1#"onmouseover="x',
    'https://evil.example/|<!channel>',
    `https://app.pytake.example/${'a'.repeat(3_100)}`,
  ),
);

export interface GeneratedEvent {
  event: AlertEventInput;
  /** The attacker-controlled strings in it. */
  texts: string[];
}

/**
 * Alert events whose text is attacker-controlled and whose dates are mostly, but not always,
 * coherent. Each text field starts with a marker word.
 */
export const alertEvent: fc.Arbitrary<GeneratedEvent> = fc
  .record({
    type: fc.constantFrom('alert.created', 'alert.escalated', 'alert.resolved', 'alert.stale'),
    id: fc.oneof(fc.stringMatching(/^alr_[a-z0-9]{1,12}$/), nonEmpty(attackerText)),
    organizationId: fc.oneof(fc.stringMatching(/^org_[a-z0-9]{1,8}$/), nonEmpty(attackerText)),
    organizationName: fc.option(markedText, { nil: undefined }),
    title: markedText.map((t) => t.slice(0, 255)),
    description: fc.option(markedText, { nil: undefined }),
    severity: fc.constantFrom('critical', 'high', 'medium', 'low'),
    category: markedText,
    status: fc.option(fc.constantFrom('open', 'acknowledged', 'escalated', 'resolved'), { nil: undefined }),
    createdAt: date,
    occurredAfter: offset,
    lastActivityAfter: offset,
    escalationLevel: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    url,
    fromLevel: fc.integer({ min: 1, max: 3 }),
    toLevel: fc.integer({ min: 1, max: 5 }),
    reason: fc.option(markedText, { nil: undefined }),
    assignedTo: fc.option(markedText, { nil: undefined }),
    resolvedBy: fc.option(markedText, { nil: undefined }),
    resolutionNotes: fc.option(markedText, { nil: undefined }),
    currentOwner: fc.option(markedText, { nil: undefined }),
    metadata: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), attackerText, { maxKeys: 3 }), {
      nil: undefined,
    }),
  })
  .map((g): GeneratedEvent => {
    const alert = {
      id: g.id,
      organizationId: g.organizationId,
      organizationName: g.organizationName,
      title: g.title,
      description: g.description,
      severity: g.severity,
      category: g.category,
      status: g.status,
      createdAt: iso(g.createdAt),
      escalationLevel: g.escalationLevel,
      url: g.url,
      metadata: g.metadata,
    };
    const occurredAt = iso(g.createdAt + g.occurredAfter);
    const texts = [g.organizationName, g.title, g.description, g.category];
    let event: AlertEventInput;
    switch (g.type) {
      case 'alert.created':
        event = { type: g.type, alert, occurredAt };
        break;
      case 'alert.escalated':
        event = {
          type: g.type,
          alert,
          occurredAt,
          fromLevel: g.fromLevel,
          toLevel: g.toLevel,
          reason: g.reason,
          assignedTo: g.assignedTo,
        };
        texts.push(g.reason, g.assignedTo);
        break;
      case 'alert.resolved':
        event = {
          type: g.type,
          alert,
          occurredAt,
          resolvedBy: g.resolvedBy,
          resolutionNotes: g.resolutionNotes,
        };
        texts.push(g.resolvedBy, g.resolutionNotes);
        break;
      default:
        event = {
          type: 'alert.stale',
          alert,
          occurredAt,
          lastActivityAt: iso(g.createdAt + g.lastActivityAfter),
          currentOwner: g.currentOwner,
        };
        texts.push(g.currentOwner);
    }
    return { event, texts: texts.filter((t): t is string => t !== undefined) };
  });

/** Sets `value` at a dotted path of a deep copy of `input` (a malformed variant of a good input). */
export function setPath(input: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(input) as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
  return copy;
}

/** Any value at all, including the shapes JavaScript callers pass by mistake. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }),
  fc.constantFrom(null, undefined, NaN, '', [], {}, () => 1, Symbol('x'), new Date(Number.NaN), 10n),
);
