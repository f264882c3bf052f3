// The release path end to end: `changeset version` and `changeset publish` on a copy of this repo,
// into a real registry (Verdaccio on 127.0.0.1), then a fresh project installs the packages by name
// and version from it and sends the same alerts as the consumer test.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerExtras, npmInstall, ourInstallWarnings, writeConsumerProject } from './consumer-project.js';
import {
  expectBothAlerts,
  expectProgramDelivered,
  lastJsonLine,
  type ProgramSummary,
} from './expect-alerts.js';
import { inspectUnpacked, type TarballReport } from './inspect-tarball.js';
import { publishablePackages, repoRoot } from './publishable-packages.js';
import {
  type SmtpReceiver,
  startSmtpReceiver,
  startWebhookReceiver,
  type WebhookReceiver,
} from './receivers.js';
import { copyRepo, gitIdentity, makePrivate, turboCacheOf } from './repo-copy.js';
import { cleanEnv, killRunning, type RunResult, runOk } from './run.js';
import { type Registry, startRegistry } from './verdaccio.js';

/**
 * Each published tarball (gzipped, as the registry serves it) stays under this. The largest are the
 * queue (about 275 KiB) and the templates (about 255 KiB), most of it the ESM and CommonJS builds'
 * source maps with their sources; 320 KiB leaves room to grow but catches a bundled dependency or a
 * stray folder.
 */
const tarballBudgetBytes = 320 * 1024;

let temp: string;
let registry: Registry | undefined;
let smtp: SmtpReceiver;
let webhook: WebhookReceiver;
const repo = () => join(temp, 'repo');
const app = () => join(temp, 'app');
const timings: Record<string, number> = {};
let published: Array<{
  name: string;
  version: string;
  integrity: string;
  tarball: string;
  bytes: number;
  report: TarballReport;
}> = [];
let install: RunResult;
const leftOut: string[] = [];
/** Each publishable package's version and CHANGELOG.md version headings before `changeset version`. */
let beforeVersion: Map<string, { version: string; headings: string[] }>;

/** A package's CHANGELOG.md, empty when it has none. */
function changelogOf(packageDir: string): string {
  const file = join(packageDir, 'CHANGELOG.md');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The `## x.y.z` headings of a changelog, newest first. */
function versionHeadings(changelog: string): string[] {
  return changelog.split('\n').filter((line) => /^## \S/.test(line));
}

/** The changesets a changelog lists (its top-level entries but the "Updated dependencies" ones). */
function changeEntries(changelog: string): string[] {
  return changelog
    .split('\n')
    .filter((line) => line.startsWith('- ') && !line.startsWith('- Updated dependencies'));
}

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'pytake-release-'));
  mkdirSync(join(temp, 'registry'));
  mkdirSync(repo());
  smtp = await startSmtpReceiver();
  webhook = await startWebhookReceiver();
  const reg = await step('start Verdaccio', () => startRegistry(join(temp, 'registry')));
  registry = reg;
  const host = reg.url.replace(/^http:/, '');
  // The release as a contributor runs it: the registry and its token in the repo's .npmrc, which
  // both pnpm (publish) and npm (changesets' `npm info`) read; npm_config_registry for changesets.
  const env = cleanEnv({ ...gitIdentity, npm_config_registry: reg.url });

  await step('copy the repo', () => copyRepo(repoRoot, repo()));
  // A package with no build script has nothing to publish yet (see publishablePackages).
  const publishable = new Set(publishablePackages(repo()).map((p) => p.dir));
  for (const name of readdirSync(join(repo(), 'packages'))) {
    const dir = join(repo(), 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (!manifest.private && !publishable.has(dir)) {
      makePrivate(dir);
      leftOut.push(manifest.name);
    }
  }
  await step('pnpm install', () =>
    runOk('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: repo(), env }),
  );
  const cache = turboCacheOf(repoRoot);
  await step('build', () =>
    runOk(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=./packages/*', ...(cache ? [`--cache-dir=${cache}`] : [])],
      { cwd: repo(), env, timeoutMs: 480_000 },
    ),
  );
  writeFileSync(join(repo(), '.npmrc'), `registry=${reg.url}\n${host}:_authToken=${reg.token}\n`);
  // The README's first release step: it needs the copy to be a commit on main.
  await step('changeset status', () => runOk('pnpm', ['exec', 'changeset', 'status'], { cwd: repo(), env }));
  beforeVersion = new Map(
    publishablePackages(repo()).map((p) => [
      p.name,
      { version: p.version, headings: versionHeadings(changelogOf(p.dir)) },
    ]),
  );
  await step('changeset version', () =>
    runOk('pnpm', ['exec', 'changeset', 'version'], { cwd: repo(), env }),
  );
  await step('changeset publish', () =>
    runOk('pnpm', ['exec', 'changeset', 'publish'], { cwd: repo(), env }),
  );

  // What a registry user downloads: every @pytake package the registry now holds.
  const tarballs = join(temp, 'tarballs');
  mkdirSync(tarballs);
  for (const pkg of publishablePackages(repo())) {
    const response = await fetch(`${reg.url}${pkg.name.replace('/', '%2f')}`);
    if (!response.ok) continue;
    const packument = (await response.json()) as {
      versions: Record<string, { dist: { tarball: string; integrity: string } }>;
    };
    const dist = packument.versions[pkg.version]?.dist;
    if (!dist) continue;
    const file = join(tarballs, `${pkg.name.replace('/', '+')}-${pkg.version}.tgz`);
    writeFileSync(file, Buffer.from(await (await fetch(dist.tarball)).arrayBuffer()));
    const unpacked = join(tarballs, pkg.name.replace('/', '+'));
    mkdirSync(unpacked);
    await runOk('tar', ['-xzf', file, '-C', unpacked], { cwd: tarballs });
    published.push({
      name: pkg.name,
      version: pkg.version,
      integrity: dist.integrity,
      tarball: file,
      bytes: statSync(file).size,
      report: inspectUnpacked(join(unpacked, 'package')),
    });
  }
  published = published.sort((a, b) => a.name.localeCompare(b.name));

  // A fresh project that knows our scope only through the registry.
  writeConsumerProject(
    app(),
    publishablePackages(repo()).flatMap((p) => p.specifiers),
  );
  writeFileSync(join(app(), '.npmrc'), `@pytake:registry=${reg.url}\n`);
  install = await step('npm install from the registry', () =>
    npmInstall(app(), [...published.map((p) => `${p.name}@${p.version}`), ...consumerExtras], cleanEnv(), []),
  );

  console.log(
    [
      'release round trip:',
      ...Object.entries(timings).map(([name, ms]) => `  ${name}: ${ms} ms`),
      'published tarballs (gzipped / unpacked):',
      ...published.map(
        (p) =>
          `  ${p.name}@${p.version}: ${(p.bytes / 1024).toFixed(1)} KiB / ${(p.report.unpackedBytes / 1024).toFixed(1)} KiB, ${p.report.files.length} files`,
      ),
      `  budget: ${tarballBudgetBytes / 1024} KiB each`,
      ...(leftOut.length ? [`left out (no build script yet): ${leftOut.join(', ')}`] : []),
    ].join('\n'),
  );
}, 900_000);

afterAll(async () => {
  killRunning();
  registry?.stop();
  await smtp?.close();
  await webhook?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe('a release through a real registry', () => {
  it('publishes every publishable package at the version changesets gave it', () => {
    const expected = publishablePackages(repo()).map((p) => `${p.name}@${p.version}`);
    expect(published.map((p) => `${p.name}@${p.version}`)).toEqual(expected);
    expect(expected).toContain(
      `@pytake/notify-templates@${JSON.parse(readFileSync(join(repo(), 'packages/templates/package.json'), 'utf8')).version}`,
    );
    // `changeset version` consumed the changesets and moved every package off 0.0.0.
    for (const p of published) expect(p.version, p.name).not.toBe('0.0.0');
    expect(
      readdirSync(join(repo(), '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md'),
    ).toEqual([]);
  });

  it('gives each package one new version with one CHANGELOG entry: 0.1.0 with one change for a first release', () => {
    for (const p of publishablePackages(repo())) {
      const before = beforeVersion.get(p.name);
      expect(before, p.name).toBeDefined();
      if (!before) continue;
      const changelog = changelogOf(p.dir);
      if (before.version === '0.0.0') {
        // Never released: the first release is one minor changeset per package, so its changelog
        // opens with one entry that says what the package is.
        expect({
          name: p.name,
          version: p.version,
          headings: versionHeadings(changelog),
          changes: changeEntries(changelog).length,
        }).toEqual({ name: p.name, version: '0.1.0', headings: ['## 0.1.0'], changes: 1 });
      } else {
        expect({ name: p.name, headings: versionHeadings(changelog) }).toEqual({
          name: p.name,
          headings: [`## ${p.version}`, ...before.headings],
        });
      }
    }
  });

  it('gives a registry user complete packages: no workspace:/catalog: ranges, dist/ and README, no tests, maps with their sources', () => {
    for (const p of published) expect(p.report.problems, p.name).toEqual([]);
  });

  it('keeps each tarball within the size budget', () => {
    for (const p of published) expect(p.bytes, p.name).toBeLessThanOrEqual(tarballBudgetBytes);
  });

  it('installs by name and version with no engine, peer or deprecation warning about our packages', () => {
    expect(ourInstallWarnings(install.output)).toEqual([]);
    // The very tarballs the release published (npm may leave `resolved` out of the lockfile).
    const lock = JSON.parse(readFileSync(join(app(), 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; integrity?: string }>;
    };
    for (const p of published) {
      expect(lock.packages[`node_modules/${p.name}`], p.name).toMatchObject({
        version: p.version,
        integrity: p.integrity,
      });
    }
  });

  for (const program of ['send.mjs', 'send.cjs'] as const) {
    it(`sends both alerts by email and Slack with what it installed (${program})`, async () => {
      const result = await runOk('node', [program], {
        cwd: app(),
        env: cleanEnv({ SMTP_PORT: String(smtp.port), WEBHOOK_URL: webhook.url }),
        timeoutMs: 120_000,
      });
      expectProgramDelivered(lastJsonLine<ProgramSummary>(result));
      expectBothAlerts(smtp, webhook, program === 'send.mjs' ? 'esm' : 'cjs');
    });
  }
});
