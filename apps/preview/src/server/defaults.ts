/** Everything the preview app assumes when nothing is configured. */
export const previewDefaults = {
  /** @default '127.0.0.1' — the preview holds no auth, so it never listens beyond loopback. */
  host: '127.0.0.1',
  /** @default 3000 */
  port: 3000,
  /** @default 2525 — the embedded SMTP capture server. */
  smtpPort: 2525,
  /**
   * Largest request body the API accepts, in bytes. The longest fixture is about 6 KB; the limit
   * keeps a pasted log file from tying up the single-threaded server.
   * @default 102400
   */
  bodyLimitBytes: 100 * 1024,
  /**
   * Bytes of live events (`GET /api/live`) a client may leave unread before it is dropped, so that a
   * browser tab that stopped reading cannot hold every later event in memory. A replay after a
   * reconnect may take half of it; a bigger one makes the browser reload its state instead.
   * @default 1048576
   */
  liveMaxUnsentBytes: 1024 * 1024,
  /** Captured emails and Slack payloads kept in memory, newest first. @default 200 */
  outboxSize: 200,
  /** Delivery records kept for the log. @default 500 */
  deliveryLogSize: 500,
  /** Where the embedded receivers deliver to. @default 'designer@preview.local' */
  previewRecipient: 'designer@preview.local',
  /** Path of the embedded Slack webhook (its "secret" part is fake). */
  webhookPath: '/hooks/slack/T0PREVIEW/B0PREVIEW/preview-webhook',
  /** The channel `POST /api/notify` also posts to through the fake Slack's Web API. @default 'C0PREVIEW' */
  apiChannelId: 'C0PREVIEW',
  /** That channel's name in the preview organization's tenant config. @default 'alerts' */
  apiChannelName: 'alerts',
  /**
   * Alerts a send of a digest fixture sends as a burst (each event alone through the notifier, which
   * folds the storm into a digest). @default 100
   */
  maxBurstAlerts: 100,
  /**
   * How often the preview organization's storming targets get a digest (its `email.storm` and
   * `slack.storm`), shorter than core's minute so that a burst's digest shows while one watches.
   * @default 5000
   */
  stormIntervalMs: 5000,
  /** The bot token of the fake Slack's Web API: fake, it opens nothing. */
  fakeSlackToken: 'xoxb-preview-fake-slack',
} as const;
