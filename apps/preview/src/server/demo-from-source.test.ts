import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const app = fileURLToPath(new URL('../../', import.meta.url));
const root = join(app, '../../');
const demoConfig = JSON.parse(readFileSync(join(app, 'tsconfig.demo.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && /\.tsx?$/.test(f.name) && !/\.test\.tsx?$/.test(f.name))
    .map((f) => join(f.parentPath, f.name));

describe('pnpm demo from source', () => {
  it('maps every @pytake import of the server and the packages to a source file', () => {
    const dirs = [
      join(app, 'src/server'),
      ...['core', 'email', 'slack', 'templates'].map((p) => join(root, 'packages', p, 'src')),
    ];
    const specifiers = new Set<string>();
    for (const file of dirs.flatMap(sources)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(@pytake\/[^']+)'/g)) specifiers.add(m[1]!);
    }
    expect(specifiers.size).toBeGreaterThan(3);
    // An unmapped one would load that package's dist, which `pnpm demo` does not build.
    for (const specifier of specifiers)
      expect(Object.keys(demoConfig.compilerOptions.paths)).toContain(specifier);
    for (const [specifier, [target]] of Object.entries(demoConfig.compilerOptions.paths)) {
      expect({
        specifier,
        exists: readdirSync(join(app, target!, '..')).includes(target!.split('/').pop()!),
      }).toEqual({
        specifier,
        exists: true,
      });
    }
  });

  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('starts the server from the packages\u2019 source, printing one line while starting and one when up', async () => {
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    // As `pnpm demo` runs it (less --build-ui): renders go through the live-templates worker.
    const argv = [tsx, '--tsconfig', 'tsconfig.demo.json', 'src/server/main.ts', '--live-templates'];
    child = spawn(process.execPath, argv, {
      cwd: app,
      env: { ...process.env, PORT: '0', PREVIEW_SMTP_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    // Ceilings for a loaded machine: the server compiles the packages' source as it starts.
    await expect.poll(() => output, { timeout: 400_000 }).toMatch(/preview on (http:\/\/127\.0\.0\.1:\d+)/);
    const url = /preview on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('starting');
    expect(lines[1]).toContain('templates reload on save');

    const event = await (await fetch(`${url}/api/fixtures/escalated-admin`)).json();
    const response = await fetch(`${url}/api/render`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event }),
    });
    expect(response.status).toBe(200);
    // The React Email template ran (JSX compiled from the templates' source).
    expect(((await response.json()) as { email: { html: string } }).email.html).toContain('Admin');
  }, 900_000);
});
