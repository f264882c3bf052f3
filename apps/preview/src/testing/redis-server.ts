import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server of the test's own on a Unix socket (no TCP port), without persistence. */
export async function startRedis(): Promise<{ path: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'preview-redis-'));
  const path = join(dir, 'redis.sock');
  const child: ChildProcess = spawn(
    process.env.REDIS_SERVER ?? 'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      path,
      '--unixsocketperm',
      '700',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const ping = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(path);
      socket.once('error', () => resolve(false));
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      socket.write('PING\r\n');
    });
  // Bounded: 200 × 50 ms.
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error('redis-server exited at start');
    if (existsSync(path) && (await ping())) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    path,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
