/** Defaults of the Slack channels. */
export const slackChannelDefaults = {
  /** Per-attempt HTTP timeout. @default 10000 */
  timeoutMs: 10_000,
  /** Webhook hosts accepted without `allowedHosts`. @default ['hooks.slack.com'] */
  webhookHosts: ['hooks.slack.com'] as readonly string[],
  /** Web API base URL. @default 'https://slack.com/api/' */
  apiBaseUrl: 'https://slack.com/api/',
  /** How many messages `sendBatch` has in flight. @default 5 */
  concurrency: 5,
} as const;
