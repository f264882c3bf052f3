#!/usr/bin/env node
// Sums vitest's JSON reports of every workspace package into one closing line for CI:
// "N passed, N failed, N skipped". Exits non-zero when a test failed, a suite failed to load,
// a package with a `test` script left no report (it crashed, or turbo never ran it), or no test
// ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'apps', 'tests'];
// Workspace packages that are a top-level folder of their own.
const single = ['examples'];
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const dirs = [
  ...roots.flatMap((root) =>
    existsSync(root)
      ? readdirSync(root)
          .sort()
          .map((name) => join(root, name))
      : [],
  ),
  ...single,
];
for (const dir of dirs) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) continue;
  const { name: pkg, scripts = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
  if (!scripts.test) continue;
  const file = join(dir, 'test-results', 'vitest.json');
  if (!existsSync(file)) {
    missing.push(pkg);
    console.log(`${file}: MISSING (${pkg} left no report: it failed before vitest wrote one)`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // A file that fails to import has no tests in it but still counts as a failed suite.
  const brokenSuites = (r.testResults ?? []).filter(
    (s) => s.status === 'failed' && s.assertionResults.length === 0,
  ).length;
  passed += r.numPassedTests;
  failed += r.numFailedTests + brokenSuites;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  const broken = brokenSuites ? `, ${brokenSuites} suite(s) failed to load` : '';
  console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed${broken}`);
}
failed += missing.length;
if (missing.length) console.log(`missing reports, each counted as a failure: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
