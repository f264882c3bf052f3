import { z } from 'zod';
import { SEVERITIES } from './alert.js';
import { ConfigError } from './errors.js';
import { ALERT_EVENT_TYPES } from './events.js';
import { formatZodIssues } from './zod-issues.js';

export const LOCALES = ['en', 'pt-BR'] as const;
export type Locale = (typeof LOCALES)[number];

const recipientSchema = z.union([z.email(), z.object({ email: z.email(), name: z.string().optional() })]);
/** `'ops@acme.com'` or `{ email: 'ops@acme.com', name: 'Ops' }`. */
export type Recipient = z.infer<typeof recipientSchema>;

const filters = {
  /** Only events for alerts at least this severe. */
  minSeverity: z.enum(SEVERITIES).optional(),
  /** Only these event types; all when absent. */
  events: z.array(z.enum(ALERT_EVENT_TYPES)).optional(),
};

const timeZoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as America/Sao_Paulo' },
);

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
            url: z.url({
              protocol: /^https?$/,
              error: 'expected an http(s) URL such as https://hooks.slack.com/services/…',
            }),
            name: z.string().optional(),
            ...filters,
          }),
        )
        .default([]),
      /** Channels posted to through the Web API with a bot token (the `slackApi` route), which can thread. */
      channels: z
        .array(
          z.object({
            id: z
              .string()
              .regex(/^[CDGZ][A-Z0-9]{2,}$/, { error: 'expected a Slack channel id such as C024BE91L' }),
            name: z.string().optional(),
            ...filters,
          }),
        )
        .default([]),
      /** `true` mentions @channel on escalation; a list mentions those user or group ids. */
      mentionOnEscalation: z.union([z.boolean(), z.array(z.string().min(1))]).optional(),
      /**
       * Later events of an alert reply in the thread of its first message, and resolving also updates
       * that first message. Only `channels` can thread: incoming webhooks cannot.
       */
      threadReplies: z.boolean().optional(),
    })
    .refine((slack) => slack.webhooks.length + slack.channels.length > 0, {
      error: 'expected at least one webhook or channel',
      path: ['webhooks'],
    })
    .optional(),
});

/** One organization's notification settings, after validation. */
export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;

/** Where the notifier looks up an organization. Back it with your database. */
export interface TenantDirectory {
  get(organizationId: string): Promise<TenantConfig | undefined>;
}

// A webhook URL is a credential. Besides `slack.webhooks[0].url`, the paths above it are secret too:
// `webhooks: ['https://hooks.slack.com/…']` (strings instead of objects) is an easy mistake, and its
// message must not carry the URL.
const isSecretPath = (path: string) => /^slack(\.webhooks(\[\d+\](\.url)?)?)?$/.test(path);

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
  return result.data;
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
