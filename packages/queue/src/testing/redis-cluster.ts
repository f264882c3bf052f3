import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A Redis Cluster of a test's own: `masters` redis-server nodes on 127.0.0.1, slots split evenly. */
export interface TestCluster {
  /** The nodes, as `{ cluster: nodes }` takes them. */
  nodes: { host: string; port: number }[];
  /** A plain client of node `i` (closed by `stop()`). */
  node(i: number): Redis;
  stop(): Promise<void>;
}

const SLOTS = 16384;

/** A TCP port that was free a moment ago, from the OS. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Polls `check` every 100 ms, at most `timeoutMs`. */
async function poll(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis cluster: ${what} within ${timeoutMs} ms`);
}

/**
 * Starts the nodes (no persistence), gives each a range of slots with CLUSTER ADDSLOTSRANGE and
 * joins them with CLUSTER MEET, then waits until every node says `cluster_state:ok`. The bus port
 * is set with `--cluster-port` (Redis 7), so that both ports come from the OS.
 */
export async function startCluster(
  options: { masters?: number; timeoutMs?: number } = {},
): Promise<TestCluster> {
  const masters = options.masters ?? 3;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'notify-queue-cluster-'));
  const children: ChildProcess[] = [];
  const clients: Redis[] = [];
  const nodes: { host: string; port: number; busPort: number }[] = [];
  const stop = async () => {
    for (const c of clients) c.disconnect();
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const [port, busPort] = [await freePort(), await freePort()];
      const nodeDir = join(dir, `node-${i}`);
      mkdirSync(nodeDir);
      const child = spawn(
        process.env.REDIS_SERVER ?? 'redis-server',
        [
          '--bind',
          '127.0.0.1',
          '--port',
          String(port),
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout',
          '5000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          nodeDir,
        ],
        { stdio: ['ignore', 'ignore', 'ignore'] },
      );
      children.push(child);
      nodes.push({ host: '127.0.0.1', port, busPort });
    }
    const node = (i: number) => {
      const c = new Redis({ host: '127.0.0.1', port: nodes[i]!.port, maxRetriesPerRequest: 1 });
      c.on('error', () => {});
      clients.push(c);
      return c;
    };
    const admins = nodes.map((_, i) => node(i));
    await poll(
      async () => (await Promise.all(admins.map((c) => c.ping()))).every((p) => p === 'PONG'),
      timeoutMs,
      'nodes did not answer PING',
    );
    const per = Math.ceil(SLOTS / masters);
    for (const [i, admin] of admins.entries()) {
      await admin.call(
        'CLUSTER',
        'ADDSLOTSRANGE',
        String(i * per),
        String(Math.min(SLOTS, (i + 1) * per) - 1),
      );
    }
    for (const other of nodes.slice(1)) {
      await admins[0]!.call('CLUSTER', 'MEET', other.host, String(other.port), String(other.busPort));
    }
    await poll(
      async () =>
        (await Promise.all(admins.map((c) => c.call('CLUSTER', 'INFO') as Promise<string>))).every(
          (info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`),
        ),
      timeoutMs,
      'the cluster did not reach cluster_state:ok',
    );
    return { nodes: nodes.map(({ host, port }) => ({ host, port })), node, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
