import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

// Runs API Extractor on the built .d.ts of the package in the working directory, once per entry point:
// `api-extractor.json` for the package root, `api-extractor.<subpath>.json` for each subpath export.
// Without `--local` it checks: a report in etc/ that no longer matches the exports, or any warning,
// fails. With `--local` it rewrites the reports in etc/ (`pnpm api:update`).
const local = process.argv.includes('--local');
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
  const result = Extractor.invoke(config, { localBuild: local, showVerboseMessages: false });
  const report = config.reportConfigs.map((r) => r.fileName).join(', ');
  if (!result.succeeded || result.warningCount > 0) {
    failed = true;
    console.error(
      `${name}: ${result.errorCount} error(s), ${result.warningCount} warning(s)` +
        (result.apiReportChanged && !local
          ? `; etc/${report} does not match the exports: run \`pnpm api:update\` and commit the report`
          : ''),
    );
  } else {
    console.log(`${name}: etc/${report} ${result.apiReportChanged ? 'updated' : 'up to date'}`);
  }
}
process.exit(failed ? 1 : 0);
