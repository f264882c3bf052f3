import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

// Runs API Extractor on the built .d.ts of the package in the working directory, once per entry point:
// `api-extractor.json` for the package root, `api-extractor.<subpath>.json` for each subpath export.
// Without `--local` it checks: a report in etc/ that no longer matches the exports, or any warning,
// fails. With `--local` it rewrites the reports in etc/ (`pnpm api:update`); warnings still fail.
const local = process.argv.includes('--local');
// What API Extractor says about the report file itself: the outcome, not a warning about the API.
const aboutTheReport = new Set([
  'console-api-report-copied',
  'console-api-report-created',
  'console-api-report-diff',
  'console-api-report-not-copied',
]);

const configs = readdirSync('.')
  .filter((name) => /^api-extractor(\.[a-z-]+)?\.json$/.test(name))
  .sort();
if (configs.length === 0) {
  console.error(`no api-extractor*.json in ${process.cwd()}`);
  process.exit(1);
}
mkdirSync('etc', { recursive: true });

let failed = false;
for (const name of configs) {
  const config = ExtractorConfig.loadFileAndPrepare(join(process.cwd(), name));
  let warnings = 0;
  const result = Extractor.invoke(config, {
    localBuild: local,
    messageCallback(message) {
      // With --local an updated report is the point: said once below, not as a warning.
      if (local && aboutTheReport.has(message.messageId)) message.handled = true;
      if (message.logLevel === 'warning' && !aboutTheReport.has(message.messageId)) warnings++;
    },
  });
  const report = `etc/${config.reportConfigs.map((r) => r.fileName).join(', ')}`;
  if (result.errorCount > 0 || warnings > 0) {
    failed = true;
    console.error(`${name}: ${result.errorCount} error(s), ${warnings} warning(s) about the API`);
  } else if (result.apiReportChanged && !local) {
    failed = true;
    console.error(
      `${name}: ${report} does not match the exports: run \`pnpm api:update\` and commit the report`,
    );
  } else {
    console.log(`${name}: ${report} ${result.apiReportChanged ? 'updated' : 'up to date'}`);
  }
}
process.exit(failed ? 1 : 0);
