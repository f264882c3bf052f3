import { ConfigError, envBoolean, formatZodIssues, parseEnvBoolean } from '@pytake/notify-core';
import { z } from 'zod';
import { MAX_URL_LENGTH } from './delivery/check-url.js';

/** Slack settings read from the environment, after defaults. */
export interface SlackConfig {
  webhookUrl?: string;
  /** @default true */
  enabled: boolean;
  /** @default 10 */
  timeoutSeconds: number;
  /** Retries after the first attempt (`retry: { maxAttempts: retryCount + 1 }`). @default 3 */
  retryCount: number;
  /** `false`, `true` (@channel) or the user/group ids to mention on escalation. @default false */
  mentionOnEscalation: boolean | string[];
  /** @default false */
  threadReplies: boolean;
  botToken?: string;
  signingSecret?: string;
}

export const slackConfigDefaults = {
  enabled: true,
  timeoutSeconds: 10,
  retryCount: 3,
  mentionOnEscalation: false,
  threadReplies: false,
} as const;

const SECRETS = new Set(['SLACK_WEBHOOK_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const number = (min: number, max: number, integer: boolean, fallback: number) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine(
        (v) => (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(v.trim()) && Number(v) >= min && Number(v) <= max,
        {
          message: `expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`,
        },
      )
      .transform(Number)
      .optional()
      .transform((v) => v ?? fallback),
  );

const schema = z.object({
  SLACK_WEBHOOK_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((v) => v.trim().length <= MAX_URL_LENGTH && /^https:\/\/[^/\s]+\/\S+$/.test(v.trim()), {
        message: `expected an https webhook URL such as https://hooks.slack.com/services/… (at most ${MAX_URL_LENGTH} characters)`,
      })
      .transform((v) => v.trim())
      .optional(),
  ),
  SLACK_ENABLED: envBoolean(slackConfigDefaults.enabled),
  SLACK_TIMEOUT_SECONDS: number(0.1, 300, false, slackConfigDefaults.timeoutSeconds),
  SLACK_RETRY_COUNT: number(0, 10, true, slackConfigDefaults.retryCount),
  SLACK_MENTION_ON_ESCALATION: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine(
        (v) =>
          parseEnvBoolean(v) !== undefined ||
          v.split(',').every((id) => /^[UWS][A-Z0-9]{2,}$/.test(id.trim())),
        { message: 'expected true, false or a comma list of Slack user/group ids (U…, W…, S…)' },
      )
      .transform((v): boolean | string[] => parseEnvBoolean(v) ?? v.split(',').map((id) => id.trim()))
      .optional()
      .transform((v) => v ?? slackConfigDefaults.mentionOnEscalation),
  ),
  SLACK_THREAD_REPLIES: envBoolean(slackConfigDefaults.threadReplies),
  SLACK_BOT_TOKEN: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^xox[a-z]-\S+$/, { message: 'expected a token starting with xoxb-' })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\S{8,}$/, { message: 'expected the app signing secret (no spaces)' })
      .optional(),
  ),
});

/**
 * Reads the SLACK_* variables. Throws `ConfigError` naming every bad variable; the webhook URL,
 * bot token and signing secret are never echoed.
 */
export function loadSlackConfig(env: Record<string, string | undefined> = process.env): SlackConfig {
  const parsed = schema.safeParse(env, { reportInput: true });
  if (!parsed.success) {
    const issues = formatZodIssues(parsed.error, { secret: (path) => SECRETS.has(path) });
    throw new ConfigError('Invalid Slack configuration', issues);
  }
  const v = parsed.data;
  const config: SlackConfig = {
    enabled: v.SLACK_ENABLED,
    timeoutSeconds: v.SLACK_TIMEOUT_SECONDS,
    retryCount: v.SLACK_RETRY_COUNT,
    mentionOnEscalation: v.SLACK_MENTION_ON_ESCALATION,
    threadReplies: v.SLACK_THREAD_REPLIES,
  };
  if (v.SLACK_WEBHOOK_URL) config.webhookUrl = v.SLACK_WEBHOOK_URL;
  if (v.SLACK_BOT_TOKEN) config.botToken = v.SLACK_BOT_TOKEN;
  if (v.SLACK_SIGNING_SECRET) config.signingSecret = v.SLACK_SIGNING_SECRET;
  return config;
}
