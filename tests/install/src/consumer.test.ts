// Installs our packages the way a user gets them: packed tarballs, plain npm, one fresh project, and
// the programs a service would write in ESM, CommonJS and TypeScript, sending real email and Slack
// messages to servers on 127.0.0.1.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumerExtras,
  npmInstall,
  ourInstallWarnings,
  templatesReactPeers,
  writeConsumerProject,
} from './consumer-project.js';
import {
  expectBothAlerts,
  expectProgramDelivered,
  lastJsonLine,
  type ProgramSummary,
} from './expect-alerts.js';
import { type PackedPackage, packPackages } from './pack.js';
import { publishablePackages, repoRoot } from './publishable-packages.js';
import {
  type SmtpReceiver,
  startSmtpReceiver,
  startWebhookReceiver,
  type WebhookReceiver,
} from './receivers.js';
import { cleanEnv, killRunning, type RunResult, runOk } from './run.js';

let temp: string;
let app: string;
let lean: string;
let leanInstall: RunResult;
let packed: PackedPackage[];
let install: RunResult;
let smtp: SmtpReceiver;
let webhook: WebhookReceiver;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'pytake-consumer-'));
  app = join(temp, 'app');
  smtp = await startSmtpReceiver();
  webhook = await startWebhookReceiver();
  const packs = join(temp, 'packs');
  mkdirSync(packs);
  packed = await packPackages(publishablePackages(), packs);
  writeConsumerProject(
    app,
    packed.flatMap((p) => p.specifiers),
  );
  install = await npmInstall(app, [...packed.map((p) => p.tarball), ...consumerExtras]);
  console.log(`npm install of ${packed.length} tarballs: ${install.durationMs} ms`);
  // A service that only sends: our tarballs and nothing else, so no React anywhere.
  lean = join(temp, 'lean');
  writeConsumerProject(lean, []);
  leanInstall = await npmInstall(
    lean,
    packed.map((p) => p.tarball),
  );
  console.log(`npm install of ${packed.length} tarballs, no React: ${leanInstall.durationMs} ms`);
}, 900_000);

afterAll(async () => {
  killRunning();
  await smtp?.close();
  await webhook?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

const sendEnv = () => cleanEnv({ SMTP_PORT: String(smtp.port), WEBHOOK_URL: webhook.url });

describe('the packed packages installed with npm', () => {
  it('packs every publishable package', () => {
    const names = packed.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '@pytake/notify-core',
        '@pytake/notify-email',
        '@pytake/notify-slack',
        '@pytake/notify-templates',
      ]),
    );
  });

  it('install with no engine, peer or deprecation warning about our packages', () => {
    expect(install.code).toBe(0);
    expect(ourInstallWarnings(install.output)).toEqual([]);
    // React is a peer of templates: the project's own copy is the only one.
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: object };
    expect(Object.keys(lock.packages).filter((key) => /(^|\/)node_modules\/react$/.test(key))).toEqual([
      'node_modules/react',
    ]);
  });

  it('send both alerts by email and Slack from ESM (.mjs, import)', async () => {
    const result = await runOk('node', ['send.mjs'], { cwd: app, env: sendEnv(), timeoutMs: 120_000 });
    expectProgramDelivered(lastJsonLine<ProgramSummary>(result));
    expectBothAlerts(smtp, webhook, 'esm');
  });

  it('send both alerts by email and Slack from CommonJS (.cjs, require)', async () => {
    const result = await runOk('node', ['send.cjs'], { cwd: app, env: sendEnv(), timeoutMs: 120_000 });
    expectProgramDelivered(lastJsonLine<ProgramSummary>(result));
    expectBothAlerts(smtp, webhook, 'cjs');
  });

  it.each(['console.mjs', 'console.cjs'])(
    'mount the console and serve its prebuilt UI from %s',
    async (program) => {
      const summary = lastJsonLine<{ page: number; script?: number; scriptType?: string; alerts: string[] }>(
        await runOk('node', [program], { cwd: app, env: cleanEnv(), timeoutMs: 120_000 }),
      );
      const label = program.endsWith('.mjs') ? 'esm' : 'cjs';
      expect(summary).toEqual({
        page: 200,
        script: 200,
        scriptType: expect.stringContaining('javascript'),
        alerts: [`alrt_console_${label} delivered`],
      });
    },
  );

  it('load every subpath export with import and with require', async () => {
    const specifiers = packed.flatMap((p) => p.specifiers);
    expect(specifiers).toEqual(
      expect.arrayContaining(['@pytake/notify-templates/react', '@pytake/notify-templates/fixtures']),
    );
    expect(specifiers).toEqual(
      expect.arrayContaining(['@pytake/notify-core/model', '@pytake/notify-slack/blocks']),
    );
    for (const program of ['subpaths.mjs', 'subpaths.cjs']) {
      const { counts, shared, copies } = lastJsonLine<{
        counts: Record<string, number>;
        shared: number;
        copies: string[];
      }>(await runOk('node', [program], { cwd: app, env: cleanEnv(), timeoutMs: 120_000 }));
      expect(Object.keys(counts).sort(), program).toEqual([...specifiers].sort());
      for (const specifier of specifiers)
        expect(counts[specifier], `${program}: ${specifier}`).toBeGreaterThan(0);
      // A subpath that re-exports part of its root (core's /model, Slack's /blocks) holds the root's
      // own objects, in CommonJS too: one ValidationError, one schema.
      expect(shared, program).toBeGreaterThan(0);
      expect(copies, program).toEqual([]);
    }
  });

  it('typecheck as TypeScript (.mts and .cts, module nodenext, strict, no skipLibCheck)', async () => {
    const config = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8'));
    expect(config.compilerOptions).toMatchObject({ module: 'nodenext', strict: true, skipLibCheck: false });
    const result = await runOk(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], {
      cwd: app,
      env: cleanEnv(),
      timeoutMs: 300_000,
    });
    expect(result.output).toBe('');
  });
});

describe('a service that only sends, with no React installed', () => {
  it('installs without a warning about our packages, and without React', () => {
    expect(leanInstall.code).toBe(0);
    expect(ourInstallWarnings(leanInstall.output)).toEqual([]);
    const lock = JSON.parse(readFileSync(join(lean, 'package-lock.json'), 'utf8')) as { packages: object };
    expect(
      Object.keys(lock.packages).filter((key) =>
        /node_modules\/(react|react-dom|@react-email\/[^/]+)$/.test(key),
      ),
    ).toEqual([]);
  });

  it('sends both alerts by email and Slack from the compiled templates', async () => {
    const result = await runOk('node', ['send-lean.mjs'], { cwd: lean, env: sendEnv(), timeoutMs: 120_000 });
    expectProgramDelivered(lastJsonLine<ProgramSummary>(result), { react: 'absent' });
    expectBothAlerts(smtp, webhook, 'lean');
  });
});

describe('the templates README', () => {
  it('tells users of /react to install every optional peer it needs, and others none', () => {
    const readme = readFileSync(join(repoRoot, 'packages/templates/README.md'), 'utf8');
    const lines = readme.split('\n').filter((l) => l.startsWith('npm install @pytake/notify-templates'));
    expect(lines[0]).toBe('npm install @pytake/notify-templates');
    const peers = templatesReactPeers().map((spec) => spec.slice(0, spec.lastIndexOf('@')));
    expect(lines[1]?.split(' ').slice(3).sort()).toEqual(peers.sort());
  });
});
