import { randomBytes } from 'node:crypto';
import type { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { redactUrl } from '@pytake/notify-core';
import { createEmailChannel, loadSmtpConfig } from '@pytake/notify-email';
import { createSlackWebhookChannel, loadSlackConfig } from '@pytake/notify-slack';
import { hostnameOf, parseAllowedHosts } from './allowed-hosts.js';
import { createPreviewApp, type PreviewApp } from './app.js';
import { previewDefaults } from './defaults.js';
import { createLiveTemplates, type LiveTemplatesOptions } from './live-templates.js';
import { type SmtpCapture, startSmtpCapture } from './smtp-capture.js';

export interface StartPreviewOptions {
  /** @default previewDefaults.host */
  host?: string;
  /** 0 picks a free port. @default previewDefaults.port */
  port?: number;
  /** Port of the embedded SMTP capture; 0 picks a free one. @default previewDefaults.smtpPort */
  smtpPort?: number;
  /** Where SMTP_*, SLACK_WEBHOOK_URL and SLACK_SIGNING_SECRET are read. @default process.env */
  env?: Record<string, string | undefined>;
  /** The built UI. @default dist/web of this app */
  staticDir?: string;
  /** The https.Agent the Slack webhook channels post through (tests route hooks.slack.com to a local server). @default the channel's own keep-alive agent */
  slackAgent?: Agent;
  /**
   * Render from the templates' source and reload it after every edit, telling the browsers
   * (`templates-changed`): `pnpm demo`. Off, the installed package renders. @default false
   */
  liveTemplates?: boolean | LiveTemplatesOptions;
  /** The preview organization's Web API channel. @default see PreviewAppOptions.tenantChannel */
  tenantChannel?: { id: string; name?: string };
  /**
   * Host names to answer on besides loopback (see PreviewAppOptions.allowedHosts).
   * @default PREVIEW_ALLOWED_HOSTS of env, split on commas
   */
  allowedHosts?: readonly string[];
}

export interface RunningPreview {
  url: string;
  /** The embedded SMTP capture's port, when email is captured. */
  smtpPort: number | undefined;
  signingSecret: string;
  preview: PreviewApp;
  /**
   * Loads what the first render needs (the live templates' worker) ahead of it. `pnpm demo` calls it
   * right after printing where it listens, so that this work does not delay that line on a busy
   * machine; without it the first render does it.
   */
  warmUp(): void;
  close(): Promise<void>;
}

export const defaultStaticDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

/**
 * Starts the preview: the embedded SMTP capture (unless SMTP_HOST is set), the HTTP app with its
 * embedded Slack webhook (unless SLACK_WEBHOOK_URL is set), and the UI.
 */
export async function startPreview(options: StartPreviewOptions = {}): Promise<RunningPreview> {
  const env = options.env ?? process.env;
  const host = options.host ?? previewDefaults.host;
  let baseUrl = '';

  let capture: SmtpCapture | undefined;
  let preview: PreviewApp | undefined;
  const realSmtp = Boolean(env.SMTP_HOST);
  if (!realSmtp) {
    capture = await startSmtpCapture({
      host,
      port: options.smtpPort ?? previewDefaults.smtpPort,
      onMessage: (email) => preview?.capture(email),
    });
  }
  try {
    return await listen();
  } catch (error) {
    // A bad setting or a busy port must not leave the capture server holding its port.
    await capture?.close();
    throw error;
  }

  async function listen(): Promise<RunningPreview> {
    const smtpConfig = realSmtp
      ? loadSmtpConfig(env)
      : // The capture server speaks plain SMTP on loopback: no STARTTLS to require.
        loadSmtpConfig({ SMTP_HOST: host, SMTP_PORT: String(capture!.port), SMTP_USE_TLS: 'false' });
    const email = createEmailChannel(smtpConfig);

    // Validated like a service's Slack settings; a bad value is a ConfigError that never echoes secrets.
    const slackConfig = loadSlackConfig(env);
    const realWebhook = slackConfig.webhookUrl;
    const slackOptions = {
      // SLACK_ENABLED=false skips Slack in sends, as it would in a service.
      enabled: slackConfig.enabled,
      timeoutMs: slackConfig.timeoutSeconds * 1000,
      retry: { maxAttempts: slackConfig.retryCount + 1 },
    };
    // Only the embedded receiver needs a host besides hooks.slack.com.
    const embeddedSlack = createSlackWebhookChannel({ ...slackOptions, allowedHosts: [host] });
    // Webhook URLs typed in the UI: hooks.slack.com only (the app checks for the embedded one first).
    const typedSlack = createSlackWebhookChannel({
      ...slackOptions,
      agent: options.slackAgent,
      allowedHosts: [],
    });
    const slack = realWebhook ? typedSlack : embeddedSlack;

    const generatedSecret = !slackConfig.signingSecret;
    const signingSecret = slackConfig.signingSecret ?? `dev-${randomBytes(16).toString('hex')}`;

    const liveOptions = options.liveTemplates === true ? {} : options.liveTemplates || undefined;
    const live = liveOptions
      ? createLiveTemplates({
          ...liveOptions,
          onChange: (change) => {
            preview?.live.publish({ type: 'templates-changed', data: change });
            liveOptions.onChange?.(change);
          },
        })
      : undefined;
    preview = createPreviewApp({
      templates: live?.templates,
      tenantChannel: options.tenantChannel,
      email,
      slack,
      webhookUrl: () => realWebhook ?? `${baseUrl}${previewDefaults.webhookPath}`,
      origin: () => baseUrl,
      typedSlack,
      embeddedSlack,
      signingSecret,
      showSigningSecret: generatedSecret,
      destinations: {
        email: realSmtp
          ? `SMTP ${smtpConfig.host}:${smtpConfig.port}`
          : `embedded SMTP ${host}:${capture!.port}`,
        slack: realWebhook ? redactUrl(realWebhook) : 'embedded webhook',
      },
      staticDir: options.staticDir ?? defaultStaticDir,
      secrets: [smtpConfig.password, realWebhook],
      // The app's own channels post to `host`, so it is always allowed.
      allowedHosts: [
        ...[hostnameOf(host)].filter((name) => name !== undefined),
        ...(options.allowedHosts ??
          parseAllowedHosts((env.PREVIEW_ALLOWED_HOSTS ?? '').split(','), 'PREVIEW_ALLOWED_HOSTS')),
      ],
    });

    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve(
        { fetch: preview!.app.fetch, hostname: host, port: options.port ?? previewDefaults.port },
        () => resolve(s),
      );
      s.once('error', reject);
    }).catch(async (error: unknown) => {
      await live?.close();
      throw error;
    });
    const port = (server.address() as AddressInfo).port;
    baseUrl = `http://${host}:${port}`;
    // REDIS_URL: sends go through @pytake/notify-queue, its worker in this process.
    if (env.REDIS_URL) {
      try {
        await preview.useQueue(env.REDIS_URL);
      } catch (error) {
        server.close();
        throw error;
      }
    }

    return {
      url: baseUrl,
      smtpPort: capture?.port,
      signingSecret,
      preview,
      warmUp: () => live?.warmUp(),
      async close() {
        // First, while the embedded receivers answer: the held storm digests are sent to them.
        await preview!.close();
        // Live-log streams never end on their own; drop them so close() does not wait forever.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        email.close();
        await live?.close();
        await capture?.close();
      },
    };
  }
}
