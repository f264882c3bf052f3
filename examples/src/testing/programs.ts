// Runs an example program as a child process (node with tsx, as `pnpm worker` does), collects its
// JSON log lines, and waits for the line that says it is listening or ready.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Program {
  child: ChildProcess;
  /** Every JSON line it printed so far. */
  lines: Record<string, unknown>[];
  /** Its stderr so far (start-up failures). */
  stderr(): string;
  /** The line that said it was listening or ready. */
  started: Record<string, unknown>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited(): Promise<number | null>;
}

export async function startProgram(
  name: 'service-enqueue' | 'worker' | 'slack-interactivity' | 'console',
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<Program> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', `${name}.ts`)], {
    cwd: root,
    // Only what the program is given, plus PATH: no variable of the test's own leaks into it.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (d) => {
      buffered += d;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) {
        if (!part.trim()) continue;
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        if (line.listening !== undefined || line.ready === true) {
          clearTimeout(timer);
          resolve(line);
        }
      }
    });
    exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it started: ${stderr}`));
    });
  });
  return {
    child,
    lines,
    stderr: () => stderr,
    started,
    exited: () => exit,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}

/** A file holding `content`, as a mounted secret would (with the newline `echo` adds). */
export function secretFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'notify-examples-'));
  const path = join(dir, name);
  writeFileSync(path, `${content}\n`, { mode: 0o600 });
  return path;
}

/** Bounded polling: `check` every `everyMs` until true, at most `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}

/** An alert event for alert `n` of `organizationId`, its id in its title (which the messages show). */
export function alertEvent(n: number, organizationId = 'acme') {
  return {
    type: 'alert.created',
    occurredAt: new Date(Date.UTC(2026, 2, 1, 10, 0, 0) + n * 1000).toISOString(),
    alert: {
      id: `alert-${n}`,
      organizationId,
      title: `Disk almost full [alert-${n}]`,
      severity: 'high',
      category: 'infra',
      status: 'open',
      createdAt: '2026-03-01T09:59:00Z',
    },
  };
}

export const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
