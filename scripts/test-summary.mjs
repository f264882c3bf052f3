#!/usr/bin/env node
// Sums vitest's JSON reports of every workspace package into one closing line for CI:
// "N passed, N failed, N skipped". Exits non-zero when a test failed, a suite failed to load,
// or no test ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'apps'];
const reports = [];
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const name of readdirSync(root)) {
    const file = join(root, name, 'test-results', 'vitest.json');
    if (existsSync(file)) reports.push(file);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
let brokenSuites = 0;
for (const file of reports) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that fails to import has no tests in it but still counts as a failed suite.
  brokenSuites += (r.testResults ?? []).filter(
    (s) => s.status === 'failed' && s.assertionResults.length === 0,
  ).length;
  console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
failed += brokenSuites;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
