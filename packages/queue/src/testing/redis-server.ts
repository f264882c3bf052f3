import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server of a test's own, on a Unix socket in a temporary directory (no TCP port). */
export interface TestRedis {
  /** ioredis options for it: `{ path }`. */
  connection: { path: string };
  dir: string;
  pid(): number;
  /** A new client (closed by `stop()`). */
  client(): Redis;
  /** kill -9, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same data directory (AOF). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

export interface RedisServerOptions {
  /** AOF with appendfsync always, for the crash tests; else no persistence. */
  aof?: boolean;
  /** `--maxmemory`, e.g. '64mb' (a test lowers it with CONFIG SET to make writes fail). */
  maxmemory?: string;
  /** `--maxmemory-policy`; redis-server's own default is noeviction. */
  maxmemoryPolicy?: string;
}

/** Starts redis-server with `options`. */
export async function startRedis(options: RedisServerOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'notify-queue-redis-'));
  const path = join(dir, 'redis.sock');
  const clients: Redis[] = [];
  let child: ChildProcess;

  const launch = async () => {
    const persistence = options.aof
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no'];
    const memory = [
      ...(options.maxmemory ? ['--maxmemory', options.maxmemory] : []),
      ...(options.maxmemoryPolicy ? ['--maxmemory-policy', options.maxmemoryPolicy] : []),
    ];
    child = spawn(
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
        '--dir',
        dir,
        ...persistence,
        ...memory,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    // Bounded: 200 × 50 ms.
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${stderr}`);
      if (existsSync(path)) {
        const probe = new Redis({
          path,
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        try {
          await probe.connect();
          if ((await probe.ping()) === 'PONG') return;
        } catch {
          // loading the AOF, or not listening yet
        } finally {
          probe.disconnect();
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('redis-server did not start within 10 s');
  };
  await launch();

  return {
    connection: { path },
    dir,
    pid: () => child.pid!,
    client() {
      const c = new Redis({ path });
      // Tests kill this server on purpose; the client reconnects by itself.
      c.on('error', () => {});
      clients.push(c);
      return c;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
      rmSync(path, { force: true });
    },
    async restart() {
      await launch();
    },
    async stop() {
      for (const c of clients) c.disconnect();
      child.kill('SIGKILL');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
