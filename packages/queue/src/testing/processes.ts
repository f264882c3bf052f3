import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ceiling } from './fixtures.js';

const hooks = fileURLToPath(new URL('./lua-hooks.mjs', import.meta.url));
const execArgv = ['--import', 'tsx', '--import', hooks];

/** Forks `script` (a .ts file in test/) with `env`, and waits for its 'ready' message (bounded). */
export async function forkScript(
  script: string,
  env: Record<string, string>,
  timeoutMs = ceiling(60_000),
): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // Only 'ready' counts: a worker also reports its rate-limit grants over IPC.
    const onMessage = (message: unknown) => {
      if (message !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before it was ready (${code ?? signal})`));
    });
  });
  return child;
}

/** Resolves with the exit code (or signal) once the child has exited. */
export const exitOf = (child: ChildProcess) =>
  new Promise<number | string>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode!);
    else child.once('exit', (code, signal) => resolve(code ?? signal!));
  });

export const startWorkerProcess = (config: object) =>
  forkScript('./worker-process.ts', { WORKER_CONFIG: JSON.stringify(config) });
