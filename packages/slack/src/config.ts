import {
  ConfigError,
  envBoolean,
  formatZodIssues,
  parseEnvBoolean,
  readSecretEnvs,
} from '@pytake/notify-core';
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
  /** `false`, `true` (`@channel`) or the user/group ids to mention on escalation. @default false */
  mentionOnEscalation: boolean | string[];
  /** @default false */
  threadReplies: boolean;
  botToken?: string;
  signingSecret?: string;
}

/** The defaults of the Slack settings read from the environment. */
export const slackConfigDefaults = {
  enabled: true,
  timeoutSeconds: 10,
  retryCount: 3,
  mentionOnEscalation: false,
  threadReplies: false,
} as const;

/** The settings that may also come from a file named by `NAME_FILE` (Docker and Kubernetes secrets). */
const SLACK_SECRET_VARIABLES = ['SLACK_WEBHOOK_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const;
const SECRETS = new Set<string>(SLACK_SECRET_VARIABLES);
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
 * Reads the SLACK_* variables. `SLACK_WEBHOOK_URL`, `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET` may
 * instead be given as `NAME_FILE`, the path of a file that holds the value (one trailing newline is
 * dropped); setting both is an error. Throws `ConfigError` naming every bad variable; the webhook URL,
 * bot token and signing secret are never echoed, nor the content of a file.
 */
export function loadSlackConfig(env: Record<string, string | undefined> = process.env): SlackConfig {
  const { env: resolved, issues, failed } = readSecretEnvs(env, SLACK_SECRET_VARIABLES);
  const parsed = schema.safeParse(resolved, { reportInput: true });
  if (!parsed.success) {
    const parsedIssues = formatZodIssues(parsed.error, { secret: (path) => SECRETS.has(path) });
    issues.push(...parsedIssues.filter((i) => !failed.has(i.path)));
  }
  if (issues.length || !parsed.success) throw new ConfigError('Invalid Slack configuration', issues);
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
