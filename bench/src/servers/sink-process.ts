import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Starts servers/sink-process.mjs (plain node, no tsx) and resolves with its URL maker and a stop. */
export async function startSinkProcess(timeoutMs = 15_000) {
  const child = fork(fileURLToPath(new URL('./sink-process.mjs', import.meta.url)), [], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sink process not ready')), timeoutMs);
    child.once('message', (m: { port: number }) => {
      clearTimeout(timer);
      resolve(m.port);
    });
    child.once('exit', (code) => reject(new Error(`sink process exited (${code})`)));
  });
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    stop: () => {
      child.kill('SIGKILL');
    },
  };
}
