// `pnpm demo`: the preview on http://127.0.0.1:3000 with embedded SMTP and Slack, no config needed.
// Prints one line while it starts and one when it listens. The imports of the server (and so of
// the packages, compiled from source by `pnpm demo`) are dynamic so that the first line shows at once.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { previewDefaults } from './defaults.js';

const port = Number(process.env.PORT ?? previewDefaults.port);
const smtpPort = Number(process.env.PREVIEW_SMTP_PORT ?? previewDefaults.smtpPort);
const buildUi = process.argv.includes('--build-ui');
// `pnpm demo`: render from the templates' source and refresh the browser after every edit.
const liveTemplates = process.argv.includes('--live-templates');
const started = performance.now();

console.log(
  `PyTake Notify preview: starting on http://${previewDefaults.host}:${port}${buildUi ? ' (building the UI, loading the templates)' : ''}…`,
);

try {
  if (buildUi) {
    // The UI imports nothing from the packages, so it builds while no package is built at all.
    const { build } = await import('vite');
    await build({
      configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
      logLevel: 'error',
    });
    // The console's page (@pytake/notify-console ships it prebuilt in its dist/ui): built here once
    // when this checkout never built the package, so that /console/ shows with nothing else to run.
    const consoleUi = new URL('../../../../packages/console/', import.meta.url);
    if (!existsSync(new URL('dist/ui/index.html', consoleUi)))
      await build({ configFile: fileURLToPath(new URL('vite.config.ts', consoleUi)), logLevel: 'error' });
  }
  const { startPreview } = await import('./start-preview.js');
  const running = await startPreview({ port, smtpPort, liveTemplates });
  const config = (await (await running.preview.app.request('/api/config')).json()) as {
    destinations: { email: string; slack: string };
    signingSecret: string | null;
  };
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `PyTake Notify preview on ${running.url} (up in ${seconds} s) · email → ${config.destinations.email} · Slack → ${config.destinations.slack}` +
      // Generated for this run only, so designers can sign their own POST /slack/actions requests.
      (config.signingSecret ? ` · dev SLACK_SIGNING_SECRET ${config.signingSecret}` : '') +
      (liveTemplates ? ' · templates reload on save' : ''),
  );
  running.warmUp();
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
    const { isNotifyError } = await import('@pytake/notify-core');
    console.error(isNotifyError(error) ? error.message : error);
  }
  process.exit(1);
}
