// A real npm registry (Verdaccio 6.8, this package's devDependency) on 127.0.0.1, serving only our
// scope, with no uplinks: anything it serves was published to it in this run.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, killGroup } from './run.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../node_modules/.bin/verdaccio');

export interface Registry {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** A token of a user created for this run, allowed to publish `@pytake/*`. */
  token: string;
  /** What Verdaccio printed, for a failure message. */
  log(): string;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

const config = `storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 10
uplinks: {}
packages:
  '@pytake/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
log: { type: stdout, format: pretty, level: warn }
`;

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Starts Verdaccio with its storage in `dir`, and creates a user through the registry's own API. */
export async function startRegistry(dir: string, timeoutMs = 120_000): Promise<Registry> {
  writeFileSync(join(dir, 'config.yaml'), config);
  const logFile = join(dir, 'verdaccio.log');
  // The port is chosen here and handed over; another process may take it in between, so try again.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const out = openSync(logFile, 'a');
    const child = spawn(bin, ['--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
      cwd: dir,
      env: cleanEnv(),
      stdio: ['ignore', out, out],
      detached: true,
    });
    const log = () => readFileSync(logFile, 'utf8');
    const stop = () => killGroup(child.pid);
    if (!(await waitUntilUp(url, child, timeoutMs))) {
      stop();
      if (attempt < 3 && /EADDRINUSE/.test(log())) continue;
      throw new Error(`Verdaccio did not answer on ${url} within ${timeoutMs} ms:\n${log().slice(-3000)}`);
    }
    try {
      // What `npm adduser` does: PUT the user document, get a token back.
      const response = await fetch(`${url}-/user/org.couchdb.user:release-test`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'release-test', password: 'release-test-password', type: 'user' }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json()) as { token?: string };
      if (!response.ok || !body.token) throw new Error(`creating a user answered ${response.status}`);
      return { url, token: body.token, log, stop };
    } catch (error) {
      stop();
      throw error;
    }
  }
  throw new Error('Verdaccio could not get a port');
}
