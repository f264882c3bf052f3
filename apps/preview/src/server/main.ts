import { isNotifyError } from '@pytake/notify-core';
import { previewDefaults } from './defaults.js';
import { startPreview } from './start-preview.js';

// `pnpm demo`: the preview on http://127.0.0.1:3000 with embedded SMTP and Slack, no config needed.
const port = Number(process.env.PORT ?? previewDefaults.port);
const smtpPort = Number(process.env.PREVIEW_SMTP_PORT ?? previewDefaults.smtpPort);

try {
  const running = await startPreview({ port, smtpPort });
  const config = await (await running.preview.app.request('/api/config')).json();
  console.log(`PyTake Notify preview on ${running.url}`);
  console.log(`  email -> ${config.destinations.email}`);
  console.log(`  Slack -> ${config.destinations.slack}`);
  console.log(`  metrics: ${running.url}/metrics`);
  if (config.signingSecret) {
    // Generated for this run only, so designers can sign their own POST /slack/actions requests.
    console.log(`  dev SLACK_SIGNING_SECRET: ${config.signingSecret}`);
  }
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') {
    console.error(
      `Port ${(error as { port?: number }).port ?? port} is in use. Stop the other process or pick ports: PORT=3001 PREVIEW_SMTP_PORT=2526 pnpm demo`,
    );
  } else {
    console.error(isNotifyError(error) ? error.message : error);
  }
  process.exit(1);
}
