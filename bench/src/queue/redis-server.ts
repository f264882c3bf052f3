import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * A redis-server of the row's own (as the queue's tests start one, packages/queue/src/testing/redis-server.ts),
 * on a Unix socket in a temp dir.
 */
export interface BenchRedis {
  connection: { path: string };
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A run cut at a ceiling exits without its clean-up: take every redis-server along.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts redis-server without persistence; bounded wait (10 s) for its first PONG. */
export async function startRedis(): Promise<BenchRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'notify-bench-redis-'));
  const path = join(dir, 'redis.sock');
  const child = spawn(
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
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  child.once('error', (error) => {
    stderr += `${error.message} (is redis-server installed? apt-get install -y redis-server)`;
  });
  const stop = async () => {
    running.delete(child);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null || stderr.includes('redis-server installed')) {
      await stop();
      throw new Error(`redis-server did not start: ${stderr.trim()}`);
    }
    if (existsSync(path)) {
      const probe = new Redis({
        path,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return { connection: { path }, stop };
      } catch {
        // not listening yet
      } finally {
        probe.disconnect();
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error('redis-server did not start within 10 s');
}
