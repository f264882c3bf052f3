import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, for assertions on npm's warnings wherever it printed them. */
  output: string;
  durationMs: number;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** A ceiling for a loaded 2-core machine, not a speed expectation. @default 300000 */
  timeoutMs?: number;
}

// Children still running, so that a suite whose hook timed out can end them in afterAll.
const running = new Set<number>();

/** Kills every child of `run()` that is still running (its whole process group). */
export function killRunning(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

// Output past this is dropped: a runaway child must not fill the test's memory.
const maxOutput = 8 * 1024 * 1024;

/**
 * The environment a user's shell would give the child: pnpm and turbo set `npm_config_*` and
 * `npm_package_*` for the script that runs this test, and npm would take them as the user's settings.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|TURBO_|VITEST|NODE_OPTIONS$|NODE_ENV$|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to completion in its own process group, which is killed whole on timeout. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid !== undefined) running.add(child.pid);
    let stdout = '';
    let stderr = '';
    let output = '';
    const append = (which: 'stdout' | 'stderr', chunk: Buffer) => {
      if (output.length > maxOutput) return;
      const text = chunk.toString('utf8');
      output += text;
      if (which === 'stdout') stdout += text;
      else stderr += text;
    };
    child.stdout.on('data', (chunk: Buffer) => append('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => append('stderr', chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      const durationMs = Math.round(performance.now() - started);
      if (timedOut) {
        reject(
          new Error(
            `${command} ${args.join(' ')} did not finish within ${timeoutMs} ms in ${options.cwd}\n${output.slice(-4000)}`,
          ),
        );
        return;
      }
      resolve({ code, stdout, stderr, output, durationMs });
    });
  });
}

/** Like `run`, but a non-zero exit is an error that shows the end of the output. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code} in ${options.cwd}\n${result.output.slice(-6000)}`,
    );
  }
  return result;
}

export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
