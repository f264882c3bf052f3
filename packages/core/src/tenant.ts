import { z } from 'zod';
import { SEVERITIES } from './alert.js';
import { ConfigError } from './errors.js';
import { ALERT_EVENT_TYPES } from './events.js';
import { stormConfigSchema } from './storm-config.js';
import { formatZodIssues } from './zod-issues.js';

/** The locales the templates are written in. */
export const LOCALES = ['en', 'pt-BR'] as const;
/** A locale the templates are written in: `en` or `pt-BR`. */
export type Locale = (typeof LOCALES)[number];

/**
 * Limits of a tenant config beyond the shape, shared with the channels so that what
 * `parseTenantConfig` accepts, every channel and template can send.
 */
export const tenantLimits = {
  /** The longest webhook URL accepted (Slack's are about 80 characters). @default 512 */
  webhookUrlLength: 512,
} as const;

// Each rule below is one a channel or template applies when it sends, moved here so that a bad
// tenant value is refused once, when the config is parsed, with its field named, instead of failing
// every alert of that tenant later.

// CR or LF in a display name ends an email header and starts another (header injection): the email
// channel refuses them (packages/email validate-message.ts), and a name shows up in log lines too.
const noLineBreaks = (value: string) => !/[\r\n]/.test(value);
const displayName = z.string().refine(noLineBreaks, { error: 'must not contain CR or LF' });

/** An email recipient: `'ops@acme.com'` or `{ email: 'ops@acme.com', name: 'Ops' }`. */
export type Recipient = string | { email: string; name?: string | undefined };
const recipientSchema: z.ZodType<Recipient, Recipient> = z.union([
  z.email(),
  z.object({ email: z.email(), name: displayName.optional() }),
]);

const filters = {
  /** Only events for alerts at least this severe. */
  minSeverity: z.enum(SEVERITIES).optional(),
  /** Only these event types; all when absent. */
  events: z.array(z.enum(ALERT_EVENT_TYPES)).optional(),
};

// Building an Intl.DateTimeFormat costs most of a millisecond, and every parse checks a zone (the
// default UTC included): remember the valid ones. There are a few hundred, so the set stays small;
// invalid names are not kept, since anyone may send them.
const knownTimeZones = new Set<string>();
const isTimeZone = (tz: string) => {
  if (knownTimeZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return false;
  }
  knownTimeZones.add(tz);
  return true;
};

const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'expected an IANA time zone such as America/Sao_Paulo' });

// The Slack ids a mention may name: users U… or W…, user groups S… (what the templates' options and
// notify-slack's userMention()/groupMention() accept). Anything else would render as broken markup,
// and the template refuses it on every escalation.
const mentionId = z
  .string()
  .regex(/^[UWS][A-Z0-9]{2,}$/, { error: 'expected a Slack user id (U…, W…) or user group id (S…)' });

// Web API channel ids, as notify-slack's API channel checks them before sending.
const channelId = z
  .string()
  .regex(/^[CDGZ][A-Z0-9]{2,}$/, { error: 'expected a Slack channel id such as C024BE91L' });

// What a webhook's `id` may hold: it names the target in job ids and Redis keys, and in records.
const targetIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'expected 1 to 64 letters, digits, ".", "_" or "-"' });

// Every target of an organization needs its own identity (`webhookTargetId()` in target-id.ts: the
// `id`, else the `name`, else a digest of the URL): two webhooks with one identity would share their
// idempotency keys, and the second would be dropped as a duplicate of the first. Compared here on
// the URL itself rather than its digest, so that the model needs no crypto. The issue names the
// field that makes the identity, and never echoes a URL.
function checkUniqueTargets(
  slack: { webhooks: { id?: string; name?: string; url: string }[]; channels: { id: string }[] },
  ctx: z.RefinementCtx,
) {
  const seen = new Map<string, number>();
  for (const [i, webhook] of slack.webhooks.entries()) {
    const identity = webhook.id ?? webhook.name ?? `\u0000${webhook.url}`;
    const first = seen.get(identity);
    if (first === undefined) {
      seen.set(identity, i);
      continue;
    }
    const field = webhook.id !== undefined ? 'id' : webhook.name !== undefined ? 'name' : 'url';
    const what = field === 'url' ? 'the same URL as' : `the same ${field} as`;
    ctx.addIssue({
      code: 'custom',
      path: ['webhooks', i, field],
      input: webhook[field],
      message: `${what} webhooks[${first}]: each webhook of an organization needs a unique id or name`,
    });
  }
  const channels = new Map<string, number>();
  for (const [i, channel] of slack.channels.entries()) {
    const first = channels.get(channel.id);
    if (first === undefined) {
      channels.set(channel.id, i);
      continue;
    }
    ctx.addIssue({
      code: 'custom',
      path: ['channels', i, 'id'],
      input: channel.id,
      message: `the same channel as channels[${first}]: list each channel once`,
    });
  }
}

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);
const slackHosts = new Set(['hooks.slack.com']);

// What notify-slack's webhook channel refuses whatever its options (check-url.ts): credentials in
// the URL, plain http to anything but a loopback host (allowed there for tests), another port on a
// Slack host, an over-long URL. The host list itself is the channel's option (`allowedHosts`), so
// other https hosts are left to it. Messages never quote the URL: its path is a credential.
function webhookUrlIssue(value: string): string | undefined {
  if (value.length > tenantLimits.webhookUrlLength) {
    return `expected at most ${tenantLimits.webhookUrlLength} characters`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined; // z.url() has reported it
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'http:' && !loopbackHosts.has(url.hostname)) {
    return `plain http is only allowed for a loopback host (tests), got host ${JSON.stringify(url.hostname)}`;
  }
  if (slackHosts.has(url.hostname) && url.port !== '') {
    return `expected ${url.hostname} on port 443, got port ${url.port}`;
  }
  return undefined;
}

const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://hooks.slack.com/services/…' })
  .superRefine((value, ctx) => {
    const message = webhookUrlIssue(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

/** The zod schema of an organization's notification settings; `parseTenantConfig` parses with it. */
export const tenantConfigSchema = z.object({
  organizationId: z.string().min(1),
  organizationName: z.string().optional(),
  locale: z.enum(LOCALES).default('en'),
  timeZone: timeZoneSchema.default('UTC'),
  /** Used for "View Alert" when an alert has no `url`. */
  dashboardUrl: z.url({ protocol: /^https?$/ }).optional(),
  email: z
    .object({
      enabled: z.boolean().default(true),
      to: z.array(recipientSchema).min(1),
      cc: z.array(recipientSchema).optional(),
      bcc: z.array(recipientSchema).optional(),
      replyTo: recipientSchema.optional(),
      /**
       * Sent as `List-Unsubscribe: <url>` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
       * (RFC 8058): the URL must take a POST and stop this mail without a login. https only; at most
       * 900 characters and no spaces, `<`, `>` or commas, since a header line cannot fold inside it.
       */
      unsubscribeUrl: z
        .url({ protocol: /^https$/ })
        .max(900)
        .refine((v) => !/[\s<>,]/.test(v), { error: 'must not contain spaces, CR, LF, <, > or commas' })
        .optional(),
      /**
       * Storm control of the organization's email (one target for all its recipients): `false`, or a
       * `StormConfig` whose fields default to `stormDefaults`. On with the defaults when absent.
       */
      storm: stormConfigSchema.optional(),
      ...filters,
    })
    .optional(),
  slack: z
    .object({
      enabled: z.boolean().default(true),
      /** Incoming webhooks (the `slack` route). */
      webhooks: z
        .array(
          z.object({
            /**
             * The webhook's stable identity (letters, digits, `.`, `_`, `-`): keep it when the URL is
             * rotated. Without it the `name` is the identity, else a digest of the URL.
             */
            id: targetIdSchema.optional(),
            url: webhookUrl,
            name: displayName.optional(),
            ...filters,
          }),
        )
        .default([]),
      /** Channels posted to through the Web API with a bot token (the `slackApi` route), which can thread. */
      channels: z
        .array(
          z.object({
            id: channelId,
            name: displayName.optional(),
            ...filters,
          }),
        )
        .default([]),
      /** `true` mentions `@channel` on escalation; a list mentions those user or group ids. */
      mentionOnEscalation: z.union([z.boolean(), z.array(mentionId)]).optional(),
      /**
       * Later events of an alert reply in the thread of its first message, and resolving also updates
       * that first message. Only `channels` can thread: incoming webhooks cannot.
       */
      threadReplies: z.boolean().optional(),
      /**
       * Storm control, applied to each webhook and each channel separately: `false`, or a
       * `StormConfig` whose fields default to `stormDefaults`. On with the defaults when absent.
       */
      storm: stormConfigSchema.optional(),
    })
    .refine((slack) => slack.webhooks.length + slack.channels.length > 0, {
      error: 'expected at least one webhook or channel',
      path: ['webhooks'],
    })
    .superRefine(checkUniqueTargets)
    .optional(),
});

/** One organization's notification settings, after validation. */
export type TenantConfig = z.output<typeof tenantConfigSchema>;
/** A tenant config as written, before defaults are applied: what `parseTenantConfig` accepts. */
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;

/** Where the notifier looks up an organization. Back it with your database. */
export interface TenantDirectory {
  /** The organization's config, or `undefined` when it is unknown (its targets are then skipped). */
  get(organizationId: string): Promise<TenantConfig | undefined>;
}

// A webhook URL is a credential. Besides `slack.webhooks[0].url`, the paths above it are secret too:
// `webhooks: ['https://hooks.slack.com/…']` (strings instead of objects) is an easy mistake, and its
// message must not carry the URL.
// Recipient addresses are personal data: a bad one is named by its path, never echoed.
const isSecretPath = (path: string) =>
  /^slack(\.webhooks(\[\d+\](\.url)?)?)?$/.test(path) || /^email(\.(to|cc|bcc|replyTo)\b.*)?$/.test(path);

/**
 * Validates a tenant config. Webhook URLs are secrets: a bad one is reported without its value.
 * @throws ConfigError naming every bad field.
 */
export function parseTenantConfig(input: unknown): TenantConfig {
  const result = tenantConfigSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    const issues = formatZodIssues(result.error, { secret: isSecretPath });
    throw new ConfigError('Invalid tenant config', issues);
  }
  parsed.add(result.data);
  return result.data;
}

// Configs that parseTenantConfig returned (a static directory holds nothing else): valid already.
const parsed = new WeakSet<object>();
// What a directory returned, validated: a database row is checked once per object, the way tenant
// facts are computed once per config (plan-targets.ts). Configs are treated as immutable.
const checked = new WeakMap<object, TenantConfig | ConfigError>();

/**
 * Validates what a `TenantDirectory` returned, once per object: a config `parseTenantConfig`
 * returned is taken as it is; anything else (a database row, a config built by hand) is parsed
 * and the result remembered for that object, defaults applied. `notify()` and `planTargets()` call
 * it, so that a bad row fails its deliveries with `config` instead of a TypeError deep inside.
 * @throws ConfigError naming every bad field (webhook URLs and addresses never echoed).
 */
export function checkTenantConfig(row: unknown): TenantConfig {
  if (typeof row !== 'object' || row === null) return parseTenantConfig(row);
  if (parsed.has(row)) return row as TenantConfig;
  let result = checked.get(row);
  if (result === undefined) {
    try {
      result = parseTenantConfig(row);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      result = error;
    }
    checked.set(row, result);
  }
  if (result instanceof ConfigError) throw result;
  return result;
}

/** A directory held in memory, for tests and small setups. Validates every config up front. */
export function createStaticDirectory(configs: readonly TenantConfigInput[]): TenantDirectory {
  const byId = new Map<string, TenantConfig>();
  for (const input of configs) {
    const config = parseTenantConfig(input);
    if (byId.has(config.organizationId)) {
      throw new ConfigError(`Duplicate tenant config for organization "${config.organizationId}"`);
    }
    byId.set(config.organizationId, config);
  }
  return { get: async (organizationId) => byId.get(organizationId) };
}
